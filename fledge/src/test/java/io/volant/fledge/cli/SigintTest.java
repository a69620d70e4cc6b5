package io.volant.fledge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.volant.fledge.testing.Fixtures;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real fledge process interrupted with SIGINT mid-build removes its temp dirs (shutdown hook). A process started
 * from a background job inherits SIGINT as ignored and the JVM keeps it ignored (nohup semantics, right for a CLI);
 * there the test interrupts with SIGTERM, which reaches the same hook.
 */
class SigintTest {
    @TempDir Path dir;

    @Test
    void sigint_during_a_build_aborts_it_and_leaves_the_temp_root_empty() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requested.countDown();
            try {
                never.await(120, TimeUnit.SECONDS); // a download that hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        Process p = null;
        try {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Fixtures.httpAgentConfig(dir, server.getAddress().getPort());
            ProcessBuilder pb = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.volant.fledge.Main",
                    "build", "-c", dir.resolve("proj/fledge.toml").toString(), "-o", dir.resolve("out.cpio.gz").toString()));
            pb.environment().put("FLEDGE_TMPDIR", tmp.toString());
            pb.environment().put("FLEDGE_INIT_BINARY", Fixtures.fakeInit(dir).toString());
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("fledge.log").toFile());
            p = pb.start();
            assertThat(requested.await(120, TimeUnit.SECONDS)).as("build reached the download").isTrue();
            assertThat(tmp).isNotEmptyDirectory();
            String signal = sigintIgnored() ? "-TERM" : "-INT";
            assertThat(new ProcessBuilder("kill", signal, String.valueOf(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("fledge ends after kill %s", signal).isTrue();
            assertThat(p.exitValue()).isNotZero();
            assertThat(tmp).as(Files.readString(dir.resolve("fledge.log"))).isEmptyDirectory();
            assertThat(dir.resolve("out.cpio.gz")).doesNotExist();
        } finally {
            never.countDown();
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            server.stop(0);
        }
    }

    /** Bit 1 (SIGINT) of SigIgn in /proc/self/status: this JVM, and so its children, inherited SIGINT as ignored. */
    private static boolean sigintIgnored() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0;
            }
        }
        return false;
    }
}
