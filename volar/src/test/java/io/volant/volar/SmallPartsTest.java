package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volar.client.Durations;
import io.volant.volar.client.Json;
import io.volant.volar.install.ManifestSource;
import io.volant.volar.output.Progress;
import io.volant.volar.output.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The small pure pieces: durations, tables, JSON layout, progress bar, manifest source choice. */
class SmallPartsTest {

    @Test
    void durations_parse_go_style_values_and_refuse_garbage() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> Durations.parse("10x")).hasMessageContaining("invalid duration \"10x\"");
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("invalid duration");
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    }

    @Test
    void columns_are_sized_to_their_widest_cell_and_never_cut() {
        Table t = new Table("NAME", "A", "B").row("averyLongName", "x", "y");
        assertThat(t.lines()).containsExactly("NAME            A   B", "averyLongName   x   y");
    }

    @Test
    void pretty_json_uses_go_layout() {
        Json json = new Json();
        assertThat(json.pretty(json.parse("{\"a\":1,\"b\":[1,2],\"c\":[],\"d\":{}}")))
                .isEqualTo("{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ],\n  \"c\": [],\n  \"d\": {}\n}");
    }

    @Test
    void progress_draws_only_on_a_terminal() {
        StringWriter off = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(off), false, "x")) {
            p.update(1, 2, "ready");
        }
        assertThat(off.toString()).isEmpty();

        StringWriter on = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(on), true, "web")) {
            p.update(1, 2, "ready");
            assertThat(on.toString()).isEqualTo("\rweb [" + "#".repeat(15) + ".".repeat(15) + "] 1/2 ready");
        }
        assertThat(on.toString()).endsWith("\r");
    }

    @Test
    void the_positional_source_beats_its_flag_and_a_url_beats_a_path() {
        Path cwd = Path.of("/work");
        assertThat(ManifestSource.choose("a.json", "b.json", null, cwd))
                .isEqualTo(new ManifestSource.File(Path.of("/work/a.json")));
        assertThat(ManifestSource.choose("a.json", null, "https://h/m.json", cwd))
                .isEqualTo(new ManifestSource.Url(URI.create("https://h/m.json")));
        assertThat(ManifestSource.choose("https://h/p.json", "https://h/f.json", null, cwd))
                .isEqualTo(new ManifestSource.Url(URI.create("https://h/p.json")));
        assertThat(ManifestSource.choose(null, " <p/m.json> ", null, cwd))
                .isEqualTo(new ManifestSource.File(Path.of("/work/p/m.json")));
        assertThatThrownBy(() -> ManifestSource.choose(null, null, "ftp://x", cwd))
                .hasMessage("--url must be an http:// or https:// URL: ftp://x");
    }

    @Test
    void proxy_variables_apply_except_to_loopback_and_no_proxy_hosts() {
        var sel = new io.volant.volar.client.EnvProxySelector(java.util.Map.of("HTTP_PROXY", "http://proxy:3128",
                "no_proxy", "internal.example,.corp"));
        assertThat(sel.select(URI.create("http://volantd.lan:7777/")).getFirst().address().toString())
                .isEqualTo("proxy/<unresolved>:3128");
        assertThat(sel.select(URI.create("http://127.0.0.1:7777/")).getFirst()).isEqualTo(java.net.Proxy.NO_PROXY);
        assertThat(sel.select(URI.create("http://internal.example/")).getFirst()).isEqualTo(java.net.Proxy.NO_PROXY);
        assertThat(sel.select(URI.create("http://a.corp/")).getFirst()).isEqualTo(java.net.Proxy.NO_PROXY);
        assertThat(sel.select(URI.create("https://h/")).getFirst()).isEqualTo(java.net.Proxy.NO_PROXY);
        assertThat(new io.volant.volar.client.EnvProxySelector(java.util.Map.of()).configured()).isFalse();
    }
}
