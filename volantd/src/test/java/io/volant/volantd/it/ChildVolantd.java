package io.volant.volantd.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * volantd as a separate JVM (same classpath), for what an in-process daemon cannot show: exit codes, signals and a
 * real SIGKILL in the middle of work. Its stdout (JSON log lines) is captured.
 */
final class ChildVolantd implements AutoCloseable {
    private final Process process;
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    private final Thread reader;

    private ChildVolantd(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                // process gone
            }
        });
    }

    static ChildVolantd spawn(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        URL logback = ChildVolantd.class.getResource("/logback.xml");
        cmd.add("-Dlogback.configurationFile=" + logback);
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.volant.volantd.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        return new ChildVolantd(pb.start());
    }

    /** Exit code, waiting up to {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("volantd did not exit; output:\n" + String.join("\n", output));
        }
        reader.join(Duration.ofSeconds(10)); // the last lines may still be in the pipe
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    List<String> output() {
        return List.copyOf(output);
    }

    /** The port from the {@code api server listening} line, or -1 while not yet listening. */
    int listeningPort() {
        for (String line : output) {
            try {
                JsonNode n = Api.JSON.readTree(line);
                if ("api server listening".equals(n.path("msg").asText())) {
                    String addr = n.path("addr").asText();
                    return Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
                }
            } catch (IOException | RuntimeException e) {
                // not a log line
            }
        }
        return -1;
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
