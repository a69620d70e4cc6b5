package io.volant.fledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command tree {@link Main#run} builds for a line (only the commands it needs) behaves as the whole tree: same exit
 * code, stdout and stderr, usage errors and "did you mean" included.
 */
class CommandTreeTest {
    @TempDir Path dir;

    record Outcome(int code, String out, String err) {}

    private Outcome run(boolean whole, String... args) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Fixtures.Cli cli = new Fixtures.Cli(dir, tmp);
        int code = whole ? Main.commandLine(cli.env()).execute(args) : cli.run(args);
        return new Outcome(code, cli.out(), cli.err());
    }

    @ParameterizedTest(name = "fledge {0}")
    @ValueSource(strings = {"", "--version", "-V", "--help", "-h", "-v", "-q", "-vq", "-vV", "-Vh", "-hV", "--bogus",
            "bogus", "version", "version --help", "-v version", "build --help", "build -h", "build -V",
            "build --version", "serve --help", "serve -V", "build --bogus", "build -c", "--verbose --version",
            "--version=x", "--verbose=true", "-x", "-- version", "Version", "vers", "-qV build", "build extra1 extra2",
            "build", "-q build -c nope.toml", "build -v -c nope.toml", "--bogus build -c x", "bogus serve --addr x",
            "-v -- build"})
    void the_tree_built_for_a_line_answers_as_the_whole_tree(String line) throws Exception {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");

        Outcome whole = run(true, args);
        Outcome needed = run(false, args);

        assertThat(needed).isEqualTo(whole);
        assertThat(whole.out() + whole.err()).isNotEmpty();
    }

    @Test
    void a_version_request_builds_the_root_alone_and_a_named_command_only_that_command() {
        assertThat(Main.needed("--version")).isEmpty();
        assertThat(Main.needed("-qV")).isEmpty();
        assertThat(Main.needed("-q", "build", "--help")).containsExactly("build");
        assertThat(Main.needed("-v", "version")).containsExactly("version");
        assertThat(Main.needed("-V", "--help")).isEqualTo(Main.COMMANDS);
        assertThat(Main.needed()).isEqualTo(Main.COMMANDS);
        assertThat(Main.needed("-v")).isEqualTo(Main.COMMANDS);
        assertThat(Main.needed("vers")).isEqualTo(Main.COMMANDS);
        assertThat(Main.needed("--", "version")).isEqualTo(Main.COMMANDS);
    }

    @Test
    void the_global_flags_set_the_log_level_before_or_after_the_command() throws Exception {
        // The AOT training's offline project, so its build is checked here too.
        Path config = Training.offlineProject(Files.createDirectories(dir.resolve("proj")));
        String init = Fixtures.fakeInit(dir).toString();
        List<List<String>> lines = List.of(List.of("build"), List.of("-q", "build"), List.of("build", "--quiet"),
                List.of("-v", "build"), List.of("build", "-v"));
        List<String> logs = new java.util.ArrayList<>();
        for (List<String> line : lines) {
            Fixtures.Cli cli = new Fixtures.Cli(dir, Files.createDirectories(dir.resolve("tmp")));
            cli.vars.put("FLEDGE_INIT_BINARY", init);
            List<String> args = new java.util.ArrayList<>(line);
            args.addAll(List.of("-c", config.toString(), "-o", dir.resolve("out.cpio.gz").toString()));
            assertThat(cli.run(args.toArray(String[]::new))).as(cli.err()).isZero();
            logs.add(cli.out());
        }

        assertThat(logs.get(0)).contains("level=info msg=\"build started\"").doesNotContain("level=debug");
        assertThat(logs.subList(1, 3)).containsOnly("");
        assertThat(logs.subList(3, 5)).allSatisfy(out -> assertThat(out).contains("level=debug msg=mapping"));
    }

    @Test
    void the_usage_lists_the_global_flags_and_every_command() throws Exception {
        Outcome help = run(false, "--help");

        assertThat(help.code()).isZero();
        assertThat(help.out()).isEqualTo("""
                Usage: fledge [-hqvV] [COMMAND]
                Builds Volant plugin artifacts (initramfs or rootfs images) and their manifests.
                  -h, --help      Show this help message and exit.
                  -q, --quiet     errors only
                  -v, --verbose   debug logging
                  -V, --version   Print version information and exit.
                Commands:
                  build    Build a plugin artifact and its manifest
                  version  Print version information
                  serve    Run the fledge HTTP build server
                """);
        assertThat(List.of(run(false, "-q", "version").out(), run(false, "version", "-v").out()))
                .allSatisfy(out -> assertThat(out).startsWith("fledge version "));
    }
}
