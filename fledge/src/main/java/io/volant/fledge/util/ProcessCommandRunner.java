package io.volant.fledge.util;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs real processes; each is registered with {@link TempDirs} so an interrupt kills it. */
public final class ProcessCommandRunner implements CommandRunner {
    private final TempDirs temps;
    private final Log log;

    public ProcessCommandRunner(TempDirs temps, Log log) {
        this.temps = temps;
        this.log = log;
    }

    @Override
    public Result run(List<String> argv, Path dir, Map<String, String> env) {
        temps.checkAborted();
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        log.debug("exec", "argv", String.join(" ", argv));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new FledgeException("failed to run " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        temps.track(p);
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            int code = p.waitFor();
            temps.checkAborted();
            return new Result(code, out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FledgeException("build interrupted", e);
        } finally {
            temps.untrack(p);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public boolean available(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        for (String d : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
