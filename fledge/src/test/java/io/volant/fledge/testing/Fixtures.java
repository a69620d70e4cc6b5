package io.volant.fledge.testing;

import io.volant.fledge.cli.Env;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.util.ProcessCommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test fixtures. The init binary and agent bundle made here are clearly fake shell scripts, standing in for the
 * guest helper's products; they are never shipped.
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    public static Path write(Path p, String content, int mode) throws IOException {
        write(p, content);
        Modes.setMode(p, mode);
        return p;
    }

    /** A FAKE init ("#!/bin/sh ... FAKE-INIT-FIXTURE"), executable. */
    public static Path fakeInit(Path dir) throws IOException {
        return write(dir.resolve("FAKE-volant-init"), "#!/bin/sh\necho FAKE-INIT-FIXTURE\n", 0755);
    }

    /** A FAKE agent bundle with bin/kestrel and kestrel.argv. */
    public static Path fakeBundle(Path dir) throws IOException {
        Path b = dir.resolve("FAKE-agent-bundle");
        write(b.resolve("bin/kestrel"), "#!/bin/sh\necho FAKE-KESTREL-FIXTURE\n", 0755);
        write(b.resolve("lib/modules"), "FAKE runtime image\n", 0644);
        write(b.resolve("kestrel.argv"), "/opt/volant/agent/bin/kestrel\n", 0644);
        return b;
    }

    /** A FAKE busybox (tests must not depend on the host's binary unless they say so). */
    public static Path fakeBusybox(Path dir) throws IOException {
        return write(dir.resolve("FAKE-busybox"), "#!/bin/sh\necho FAKE-BUSYBOX-FIXTURE\n", 0755);
    }

    /**
     * {@code <dir>/proj/fledge.toml}: an initramfs whose agent is downloaded from {@code http://127.0.0.1:<port>/kestrel}
     * and whose BusyBox is the FAKE one in {@code dir}.
     */
    public static Path httpAgentConfig(Path dir, int port) throws IOException {
        return write(dir.resolve("proj/fledge.toml"), """
                version = "1"
                strategy = "initramfs"
                [agent]
                source_strategy = "http"
                url = "http://127.0.0.1:%d/kestrel"
                [source]
                busybox_url = "%s"
                """.formatted(port, fakeBusybox(dir).toUri()));
    }

    /** An in-process CLI environment with captured output. */
    public static final class Cli {
        public final ByteArrayOutputStream out = new ByteArrayOutputStream();
        public final ByteArrayOutputStream err = new ByteArrayOutputStream();
        public final Map<String, String> vars = new HashMap<>();
        public final FakeHttp http = new FakeHttp();
        public final Path cwd;
        public java.util.function.BiFunction<io.volant.fledge.util.TempDirs, io.volant.fledge.util.Log,
                io.volant.fledge.util.CommandRunner> runners = ProcessCommandRunner::new;

        public Cli(Path cwd, Path tempRoot) {
            this.cwd = cwd;
            vars.put("FLEDGE_TMPDIR", tempRoot.toString());
            vars.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        }

        public Env env() {
            return new Env(Map.copyOf(vars), cwd, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), http, runners, false);
        }

        public int run(String... args) {
            return io.volant.fledge.Main.run(env(), args);
        }

        public String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        public String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
