package io.volant.volar.setup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link HostProbe} of the running Linux host. */
public final class SystemHostProbe implements HostProbe {
    @Override
    public boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0");
                }
            }
        } catch (IOException ignored) {
            // not Linux: fall back to the user name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public Optional<String> which(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath().toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public String home() {
        String h = System.getProperty("user.home");
        if (h == null || h.isBlank()) {
            h = System.getenv("HOME");
        }
        return h == null || h.isBlank() ? "/root" : h;
    }

    @Override
    public Optional<String> volantdPath() {
        // The launcher layout: <root>/volar/target/volar.jar next to <root>/bin/volantd.
        try {
            Path jar = Path.of(SystemHostProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = jar.getParent() == null ? null : jar.getParent().getParent();
            if (root != null && root.getParent() != null) {
                Path volantd = root.getParent().resolve("bin/volantd");
                if (Files.isExecutable(volantd)) {
                    return Optional.of(volantd.toString());
                }
            }
        } catch (Exception ignored) {
            // unusual class loader: fall back to PATH
        }
        return which("volantd");
    }
}
