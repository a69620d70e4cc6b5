package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volar completion}: scripts generated from the command model. */
class CompletionTest {
    @TempDir
    Path dir;

    /** Sources the bash script in a real bash and asks it to complete {@code words}. */
    private String bashComplete(String line) throws Exception {
        return bashComplete(line, "", "_complete_volar");
    }

    /** @param stub shell code run first, e.g. a {@code volar} function standing in for the binary */
    private String bashComplete(String line, String stub, String function) throws Exception {
        Path script = dir.resolve("volar.bash");
        Files.writeString(script, new Cli().run("completion", "bash").out());
        // compopt only works inside a real completion; stub it for this direct call.
        String probe = "source " + script + "\ncompopt() { :; }\n" + stub + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "[[ \"$COMP_LINE\" == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + function + "\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void bash_completes_subcommands_and_flags_from_the_command_model() throws Exception {
        assertThat(bashComplete("volar deployments sc").lines()).containsExactly("scale");
        assertThat(bashComplete("volar vms create web --kern").lines())
                .containsExactlyInAnyOrder("--kernel", "--kernel-cmdline");
        assertThat(bashComplete("volar ").lines()).contains("vms", "plugins", "deployments", "events", "setup");
    }

    @Test
    void bash_asks_volar_complete_for_names_and_falls_back_to_the_command_model() throws Exception {
        // A stand-in for the volar binary: names for `vms get`, "not a name position" (exit 1) otherwise.
        String stub = "volar() { [ \"$1 $2 $3 $4\" = '__complete -- vms get' ] && { echo web-1; echo web-2; echo api;"
                + " return 0; }; return 1; }";
        assertThat(bashComplete("volar vms get we", stub, "_complete_volar_names").lines())
                .containsExactly("web-1", "web-2");
        assertThat(bashComplete("volar deployments sc", stub, "_complete_volar_names").lines())
                .containsExactly("scale");
        String silent = "volar() { return 0; }"; // volantd down: __complete prints nothing, and nothing is offered
        assertThat(bashComplete("volar vms get ", silent, "_complete_volar_names")).isBlank();
    }

    @Test
    void complete_offers_names_from_volantd_and_option_values() throws Exception {
        try (RealVolantd volantd = new RealVolantd(dir, java.util.Map.of())) {
            Cli cli = new Cli().api(volantd.base()).cwd(dir);
            Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
            assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
            assertThat(cli.run("vms", "create", "web1", "--plugin", "caddy").exit()).isZero();
            Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
            assertThat(cli.run("deployments", "create", "front", "--config", "d.json").exit()).isZero();

            assertThat(cli.run("__complete", "--", "vms", "get", "").outLines()).containsExactly("front-1", "web1");
            assertThat(cli.run("__complete", "--", "vm", "logs", "-f", "w").outLines()).contains("web1");
            assertThat(cli.run("__complete", "--", "plugins", "get", "").outLines()).containsExactly("caddy");
            assertThat(cli.run("__complete", "--", "deployments", "scale", "").outLines()).containsExactly("front");
            assertThat(cli.run("__complete", "--", "vms", "create", "--plugin", "").outLines())
                    .containsExactly("caddy");
            assertThat(cli.run("__complete", "--", "vms", "list", "-o", "").outLines())
                    .containsExactly("table", "wide", "json", "yaml", "name");
            Cli.Result notAName = cli.run("__complete", "--", "vms", "create", "");
            assertThat(notAName.exit()).isEqualTo(1);
            assertThat(notAName.out()).isEmpty();
            assertThat(cli.run("__complete", "--", "deployments", "scale", "front", "").exit()).isEqualTo(1);
        }
        Cli.Result down = new Cli().api("http://127.0.0.1:1").run("__complete", "--", "vms", "get", "");
        assertThat(down.exit()).isZero();
        assertThat(down.out()).isEmpty();
        assertThat(down.err()).isEmpty();
        assertThat(new Cli().run("--help").out()).doesNotContain("__complete");
    }

    @Test
    void fish_and_powershell_scripts_cover_every_group() {
        String fish = new Cli().run("completion", "fish").out();
        assertThat(fish).contains("complete -c volar -n '__volar_is ' -a deployments")
                .contains("complete -c volar -n '__volar_is deployments' -a scale")
                .contains("complete -c volar -n '__volar_in vms create' -l kernel-cmdline -r");
        String ps = new Cli().run("completion", "powershell").out();
        assertThat(ps).contains("Register-ArgumentCompleter -Native -CommandName volar")
                .contains("'vms config' = @('get', 'set', 'patch', 'history'");
        Cli.Result bad = new Cli().run("completion", "tcsh");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("Error: unsupported shell \"tcsh\"");
    }
}
