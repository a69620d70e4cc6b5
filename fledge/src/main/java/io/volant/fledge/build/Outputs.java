package io.volant.fledge.build;

import io.volant.fledge.util.FledgeException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.Consumer;

/** Output names (§4.12) and the final placement of an artifact (§7 F14). */
public final class Outputs {
    private Outputs() {}

    /**
     * Writes through a temp file next to {@code output} and renames it into place, so a failed build never leaves
     * a half-written artifact; parents are created.
     */
    public static void writeAtomically(Path output, Consumer<Path> writer) {
        writeAtomically(output, null, writer);
    }

    /** As above; the partial file is owned by {@code temps} meanwhile, so an interrupt removes it too. */
    public static void writeAtomically(Path output, io.volant.fledge.util.TempDirs temps, Consumer<Path> writer) {
        Path tmp = null;
        try {
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + output.getFileName() + ".", ".partial");
            if (temps != null) {
                temps.adopt(tmp);
            }
            writer.accept(tmp);
            io.volant.fledge.mapping.Modes.setMode(tmp, 0644);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (temps != null) {
                temps.disown(tmp);
            }
            tmp = null;
        } catch (IOException e) {
            throw new FledgeException("failed to write " + output + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                if (temps != null) {
                    temps.disown(tmp);
                }
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /** Moves a finished image into place; across file systems it falls back to copy + delete (§7 F14). */
    public static void move(Path from, Path to, io.volant.fledge.util.TempDirs temps) {
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                writeAtomically(to, temps, tmp -> {
                    try {
                        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException ex) {
                        throw new FledgeException("failed to copy " + from + " to " + to + ": " + ex.getMessage(), ex);
                    }
                });
                Files.deleteIfExists(from);
            }
        } catch (IOException e) {
            throw new FledgeException("failed to move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * §4.12 image name, Chosen: strip a digest, then a tag only when its {@code :} follows the last {@code /}
     * (a registry port is not a tag), keep the last path element, sanitize.
     */
    public static String imageName(String ref) {
        String r = stripTransport(ref);
        int at = r.lastIndexOf('@');
        if (at > 0) {
            r = r.substring(0, at);
        }
        int colon = r.lastIndexOf(':');
        if (colon > 0 && colon > r.lastIndexOf('/')) {
            r = r.substring(0, colon);
        }
        int slash = r.lastIndexOf('/');
        if (slash >= 0) {
            r = r.substring(slash + 1);
        }
        r = sanitize(r);
        return r.isEmpty() ? "plugin" : r;
    }

    /** Drops a leading {@code docker://} (§4.9: Volant's docs use it; upstream doubled it). */
    public static String stripTransport(String ref) {
        return ref.startsWith("docker://") ? ref.substring("docker://".length()) : ref;
    }

    public static String sanitize(String s) {
        return s.replace(' ', '-').replace('/', '-').replace('\\', '-').toLowerCase(Locale.ROOT);
    }

    /** squashfs: a trailing {@code .img} becomes {@code .squashfs}; otherwise {@code .squashfs} is appended. */
    public static Path squashfsName(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(".squashfs")) {
            return p;
        }
        String base = n.endsWith(".img") ? n.substring(0, n.length() - 4) : n;
        return p.resolveSibling(base + ".squashfs");
    }
}
