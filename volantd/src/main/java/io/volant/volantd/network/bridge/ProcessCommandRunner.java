package io.volant.volantd.network.bridge;

import io.volant.volantd.network.CommandRunner;
import io.volant.volantd.network.NetworkException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link CommandRunner}: argv form, no shell, output captured. With a network namespace name every command
 * runs through {@code ip netns exec <ns>} so volantd can keep all its devices in a namespace (docs/operations.md).
 */
public final class ProcessCommandRunner implements CommandRunner {
    private final String netns;

    /** @param netns namespace name, "" for volantd's own namespace */
    public ProcessCommandRunner(String netns) {
        this.netns = netns == null ? "" : netns;
    }

    public ProcessCommandRunner() {
        this("");
    }

    @Override
    public Result run(List<String> argv, Duration timeout) {
        return run(argv, "", timeout);
    }

    @Override
    public Result run(List<String> argv, String stdin, Duration timeout) {
        List<String> full = new ArrayList<>();
        if (!netns.isEmpty()) {
            full.addAll(List.of("ip", "netns", "exec", netns));
        }
        full.addAll(argv);
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(full);
            if (stdin == null || stdin.isEmpty()) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            p = pb.start();
        } catch (IOException e) {
            throw new NetworkException("run [" + String.join(" ", argv) + "]: " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (stdin != null && !stdin.isEmpty()) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                p.destroyForcibly(); // it stopped reading: whatever it would do with half an input is unwanted
                throw new NetworkException("run [" + String.join(" ", argv) + "]: write input: " + e.getMessage(), e);
            }
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new NetworkException("run [" + String.join(" ", argv) + "]: timed out after "
                        + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NetworkException("run [" + String.join(" ", argv) + "]: interrupted", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
