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
        Path script = dir.resolve("volar.bash");
        Files.writeString(script, new Cli().run("completion", "bash").out());
        // compopt only works inside a real completion; stub it for this direct call.
        String probe = "source " + script + "\ncompopt() { :; }\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "[[ \"$COMP_LINE\" == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_volar\n"
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
