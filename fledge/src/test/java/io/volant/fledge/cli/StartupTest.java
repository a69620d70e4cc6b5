package io.volant.fledge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.volant.fledge.Main;
import io.volant.fledge.testing.Fixtures;
import io.volant.fledge.util.JdkHttpFetcher;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps fledge's start-up short (docs/fledge.md "Start-up"): the quick commands build no HTTP client (no TLS
 * context, no selector thread) and make picocli look for no Groovy class, and no command leaves an HTTP client thread
 * behind, since the JVM's exit waits up to 300 ms for a thread still in native code.
 */
class StartupTest {
    @TempDir Path dir;

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void a_build_that_downloaded_leaves_no_http_client_thread_running() throws Exception {
        byte[] agent = "#!/bin/sh\necho FAKE-KESTREL-FIXTURE\n".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> requested = new ArrayList<>();
        server.createContext("/", ex -> {
            requested.add(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(200, agent.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(agent);
            }
        });
        server.start();
        try {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Path config = Fixtures.httpAgentConfig(dir, server.getAddress().getPort());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Env env = new Env(Map.of("FLEDGE_TMPDIR", tmp.toString(),
                    "FLEDGE_INIT_BINARY", Fixtures.fakeInit(dir).toString()), dir,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    new JdkHttpFetcher(), Env.system().runners(), false);
            Set<Thread> before = clientThreads();

            int code = Main.run(env, "build", "-c", config.toString(),
                    "-o", dir.resolve("out.cpio.gz").toString());

            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(requested).containsExactly("/kestrel");
            assertThat(dir.resolve("out.cpio.gz")).isNotEmptyFile();
            // The selector sits in epoll_wait (native code: the exit waits for it); close() waits for it to end.
            // An idle worker may still be winding down: it is a daemon parked in Java, which holds nothing up.
            Set<Thread> left = clientThreads();
            left.removeAll(before);
            assertThat(left).as("HTTP client threads left running")
                    .allSatisfy(t -> assertThat(t.getName()).doesNotContain("Selector"))
                    .allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
        } finally {
            server.stop(0);
        }
    }

    /** {@code java ... io.volant.fledge.Main args} with the JVM's class-load and exception log in {@code log}. */
    private Process fledge(Path log, Path stdout, Map<String, String> vars, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info,exceptions=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                "io.volant.fledge.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(vars);
        return pb.start();
    }

    /**
     * The real entry point in a fresh JVM: {@code --version} and {@code --help} print what they print, load no HTTP
     * client or TLS class, read no annotation (the JDK would generate a proxy class per annotation type) and throw no
     * ClassNotFoundException (picocli's lookup of groovy.lang.Closure).
     */
    @Test
    void version_and_help_in_a_fresh_jvm_build_no_http_client_read_no_annotation_and_miss_no_class() throws Exception {
        for (String arg : List.of("--version", "--help")) {
            Path log = dir.resolve("jvm" + arg + ".log");
            Path stdout = dir.resolve("out" + arg + ".txt");
            Process p = fledge(log, stdout, Map.of(), arg);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("fledge %s ends", arg).isTrue();
            assertThat(p.exitValue()).isZero();
            String printed = Files.readString(stdout);
            String jvm = Files.readString(log);
            assertThat(printed).startsWith(arg.equals("--version") ? "fledge " : "Usage: fledge");
            assertThat(jvm).as("the log of %s", arg).contains("io.volant.fledge.Main source:")
                    .doesNotContain("jdk.internal.net.http.HttpClientImpl ", "sun.security.ssl.SSLContextImpl ")
                    .doesNotContain("'java/lang/ClassNotFoundException'")
                    .doesNotContain("$Proxy");
        }
    }

    /**
     * {@code main} returns instead of calling {@code System.exit(0)} (whose exit logging looks up a logger backend on
     * the whole class path): a real build in a fresh JVM still ends by itself, with 0, and a failed one with 1.
     */
    @Test
    void a_build_in_a_fresh_jvm_ends_by_itself_with_its_exit_code() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path config = Fixtures.write(dir.resolve("proj/fledge.toml"), """
                version = "1"
                strategy = "initramfs"
                [source]
                busybox_url = "%s"
                """.formatted(Fixtures.fakeBusybox(dir).toUri()));
        Map<String, String> vars = Map.of("FLEDGE_TMPDIR", tmp.toString(),
                "FLEDGE_INIT_BINARY", Fixtures.fakeInit(dir).toString());

        Process ok = fledge(dir.resolve("ok.log"), dir.resolve("ok.txt"), vars, "build", "-c", config.toString(),
                "-o", dir.resolve("out.cpio.gz").toString());
        Process failed = fledge(dir.resolve("failed.log"), dir.resolve("failed.txt"), vars, "build", "-c",
                dir.resolve("nope.toml").toString());

        assertThat(ok.waitFor(120, TimeUnit.SECONDS)).as("the build ends").isTrue();
        assertThat(ok.exitValue()).as(Files.readString(dir.resolve("ok.txt"))).isZero();
        assertThat(dir.resolve("out.cpio.gz")).isNotEmptyFile();
        assertThat(failed.waitFor(120, TimeUnit.SECONDS)).as("the failed build ends").isTrue();
        assertThat(failed.exitValue()).isEqualTo(1);
    }
}
