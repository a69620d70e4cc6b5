package io.volant.fledge.agent;

import io.volant.fledge.mapping.Mappings;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a sourced agent into a staged tree. A single file becomes {@code /bin/kestrel} (0755). A bundle is copied
 * to {@code /opt/volant/agent} (the init's AGENT_DIR, docs/guest.md) keeping modes and symlinks, and
 * {@code /bin/kestrel} becomes a link to the bundle's launcher so it stays the entry point of initramfs images.
 */
public final class AgentInstaller {
    public static final String BUNDLE_GUEST_DIR = "/opt/volant/agent";
    public static final String KESTREL = "/bin/kestrel";

    private AgentInstaller() {}

    public static void install(SourcedAgent agent, StagingRoot root) {
        if (!agent.bundle()) {
            Path dst = root.resolveParentFollowingCreating(KESTREL);
            TempDirs.deleteTree(dst);
            Mappings.copyFile(agent.path(), dst, 0755);
            return;
        }
        Path target = root.mkdirs(BUNDLE_GUEST_DIR);
        copyTree(agent.path(), target);
        Path launcher = launcher(agent.path());
        if (launcher != null) {
            Path link = root.resolveParentFollowingCreating(KESTREL);
            TempDirs.deleteTree(link);
            try {
                Files.createSymbolicLink(link, Path.of(BUNDLE_GUEST_DIR).resolve(agent.path().relativize(launcher)));
            } catch (IOException e) {
                throw new FledgeException("failed to link " + KESTREL + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The bundle's launcher for {@code /bin/kestrel}: its {@code bin/kestrel} script. (The init itself execs the
     * lines of {@code kestrel.argv}, whose first line is the bundle's dynamic loader, not a launcher.)
     */
    static Path launcher(Path bundle) {
        Path bin = bundle.resolve("bin/kestrel");
        return Files.exists(bin, LinkOption.NOFOLLOW_LINKS) ? bin : null;
    }

    /** Copies a host tree verbatim (modes incl. setuid, symlinks as links) into a staged directory. */
    public static void copyTree(Path src, Path dst) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = s.sorted().toList();
        } catch (IOException e) {
            throw new FledgeException("failed to read " + src + ": " + e.getMessage(), e);
        }
        try {
            for (Path p : all) {
                Path out = dst.resolve(src.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    TempDirs.deleteTree(out);
                    Files.createSymbolicLink(out, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                        TempDirs.deleteTree(out);
                        Files.createDirectories(out);
                    }
                    Modes.setMode(out, Modes.mode(p) | 0700);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    TempDirs.deleteTree(out);
                    Files.copy(p, out);
                    Modes.setMode(out, Modes.mode(p));
                }
            }
        } catch (IOException e) {
            throw new FledgeException("failed to copy " + src + ": " + e.getMessage(), e);
        }
    }
}
