package io.volant.fledge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.util.Log;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateLoaderTest {
    final TemplateLoader loader = new TemplateLoader(Log.silent());
    static final String NAMED = "name = \"web\"\nversion = \"0.1.0\"\nruntime = \"web\"\n";

    @Test
    void a_full_template_loads_with_its_defaults() {
        ManifestTemplate t = loader.parse(NAMED + """
                [workload]
                entrypoint = "/usr/bin/caddy"
                args = ["run"]
                [env]
                PATH = "/bin"
                [network]
                [[network.expose]]
                port = 80
                [actions.reload]
                path = "/reload"
                method = "POST"
                [cloud_init]
                datasource = "NoCloud"
                [cloud_init.user_data]
                inline = true
                content = "#cloud-config"
                [cloud_init.meta_data]
                instance-id = "web"
                [devices]
                pci_passthrough = ["0000:01:00.0"]
                """);
        assertThat(t.schemaVersion()).isEqualTo("v1");
        assertThat(t.cpuCores()).isEqualTo(1);
        assertThat(t.memoryMb()).isEqualTo(256);
        assertThat(t.network().mode()).isEqualTo("bridged");
        assertThat(t.network().expose()).containsExactly(new ManifestTemplate.Expose(80, "tcp", 0));
        assertThat(t.workload().args()).containsExactly("run");
        assertThat(t.actions()).containsEntry("reload", new ManifestTemplate.Action("/reload", "POST"));
        assertThat(t.cloudInit().metaData()).containsEntry("instance-id", "web");
        assertThat(t.pciPassthrough()).containsExactly("0000:01:00.0");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("schema_version = \"v2\"\n" + NAMED, "unsupported schema_version \"v2\" (expected \"v1\")"),
                Arguments.of("version = \"1\"\nruntime = \"x\"\n", "name is required"),
                Arguments.of("name = \"x\"\nruntime = \"x\"\n", "version is required"),
                Arguments.of("name = \"x\"\nversion = \"1\"\n", "runtime is required"),
                Arguments.of(NAMED + "[resources]\nmemory_mb = 256\n", "resources.cpu_cores must be >= 1"),
                Arguments.of(NAMED + "[resources]\ncpu_cores = 1\nmemory_mb = 64\n", "resources.memory_mb must be >= 128"),
                Arguments.of(NAMED + "[network]\nmode = \"nat\"\n", "invalid network.mode \"nat\" (must be bridged, vsock, or dhcp)"),
                Arguments.of(NAMED + "[[network.expose]]\nport = 70000\n", "network.expose[0].port must be 1-65535"),
                Arguments.of(NAMED + "[[network.expose]]\nport = 80\nprotocol = \"sctp\"\n",
                        "network.expose[0].protocol must be tcp or udp"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void each_rule_gives_its_exact_message(String toml, String message) {
        assertThatThrownBy(() -> loader.parse(toml)).hasMessage("manifest validation failed: " + message);
    }

    @Test
    void broken_toml_is_wrapped() {
        assertThatThrownBy(() -> loader.parse("name = ")).hasMessageStartingWith("failed to parse manifest TOML: ");
    }
}
