package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volar.cli.CliEnvironment;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run builds only the commands its arguments name ({@code Commands}), and behaves exactly as with the whole tree:
 * same output, errors, suggestions and exit codes.
 */
class CommandTreeTest {
    @TempDir
    Path dir;

    private CliEnvironment env() {
        // No volantd: every case below ends before a request (help, usage errors, --version) or fails to connect.
        return new CliEnvironment(Map.of("VOLANT_API_BASE", "http://127.0.0.1:1"),
                new ByteArrayInputStream(new byte[0]), io.volant.volar.console.Terminal.NONE,
                new Cli.FakeHost(false, Set.of()), null, false, false, dir, ms -> { }, Clock.systemUTC(),
                new io.volant.volar.output.Interrupts());
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Every command path as "a b c", aliases left out. */
    private static List<String> paths(CommandLine cl) {
        List<List<String>> paths = new ArrayList<>();
        UsabilityFixture.collect(cl, new ArrayList<>(), paths);
        return paths.stream().map(p -> String.join(" ", p)).toList();
    }

    @Test
    void a_named_command_builds_only_its_path() {
        assertThat(paths(Main.commandLine(env(), new String[] {"version"}))).containsExactly("version");
        assertThat(paths(Main.commandLine(env(), new String[] {"vms", "list", "-o", "json"})))
                .containsExactly("vms", "vms list");
        assertThat(paths(Main.commandLine(env(), new String[] {"--api", "http://h:1", "vm", "--timeout", "5s", "ls"})))
                .containsExactly("vms", "vms list");
        assertThat(paths(Main.commandLine(env(), new String[] {"--api=http://h:1", "deploy", "rollout", "status",
                "web"}))).contains("deployments", "deployments rollout", "deployments rollout status")
                .doesNotContain("vms", "deployments list");
        assertThat(paths(Main.commandLine(env(), new String[] {"--version"}))).isEmpty();
    }

    /** Commands chooses the root's commands by a table of words; it must name each as its annotation does. */
    @Test
    void every_name_and_alias_of_a_root_command_builds_that_command_alone() {
        CommandLine whole = Main.commandLine(env());
        for (CommandLine sub : whole.getSubcommands().values().stream().distinct().toList()) {
            String name = sub.getCommandName();
            if (List.of("help", "completion", "__complete").contains(name)) {
                continue; // they read the whole tree
            }
            List<String> words = new ArrayList<>(List.of(sub.getCommandSpec().aliases()));
            words.add(name);
            for (String word : words) {
                List<String> built = paths(Main.commandLine(env(), new String[] {word}));
                assertThat(built).as(word).isNotEmpty().allMatch(p -> p.equals(name) || p.startsWith(name + " "));
            }
        }
    }

    @Test
    void help_completion_typos_and_unknown_options_get_the_whole_level_or_tree() {
        int all = paths(Main.commandLine(env())).size();
        assertThat(all).isGreaterThan(50);
        for (String[] args : List.of(new String[] {}, new String[] {"help", "vms"}, new String[] {"completion", "bash"},
                new String[] {"__complete", "vms", ""}, new String[] {"vsm", "list"}, new String[] {"--bogus", "vms"},
                new String[] {"-h"}, new String[] {"--version", "-h"})) {
            assertThat(paths(Main.commandLine(env(), args))).as(String.join(" ", args)).hasSize(all);
        }
        List<String> vms = paths(Main.commandLine(env(), new String[] {"vms", "lsit"}));
        assertThat(vms).contains("vms list", "vms get", "vms config get").doesNotContain("plugins");
    }

    @Test
    void output_errors_and_exit_codes_are_those_of_the_whole_tree() {
        for (String line : List.of("", "--version", "-h", "version", "vms", "vm -h", "vms lsit", "vms list --bogus",
                "vms list -o wide --help", "--api http://127.0.0.1:1 vms list", "deploy", "deployments rollout",
                "deployments rollout status -h", "plugins artifacts", "help vms create", "vms config get",
                "--timeout 1s nodes ls -h", "setup tls -h", "completion", "events --count x", "vsm", "--bogus vms list",
                "vms --api", "completion fish")) {
            String[] args = line.isEmpty() ? new String[0] : line.split(" ");
            Run whole = run(Main.commandLine(env()), args);
            Run lazy = run(Main.commandLine(env(), args), args);
            assertThat(lazy).as("volar " + line).isEqualTo(whole);
        }
    }
}
