package io.volant.fledge.agent;

import io.volant.fledge.config.FledgeConfig.AgentConfig;
import io.volant.fledge.mapping.Mappings;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
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
 * The project's own bundle is not copied unless asked for ({@code --embed-agent}): volantd attaches it to every VM
 * as a read-only disk that the init mounts on {@code /opt/volant/agent} (docs/guest.md, "Agent image").
 */
public final class AgentInstaller {
    public static final String BUNDLE_GUEST_DIR = "/opt/volant/agent";
    public static final String KESTREL = "/bin/kestrel";

    private AgentInstaller() {}

    /**
     * Installs the agent {@code cfg} names into {@code root}, or, when it is the project's own bundle and
     * {@code embed} is false, only its mount point and the {@code /bin/kestrel} link (the bundle itself then comes
     * from volantd's agent disk, so the image does not carry the ~90 MB runtime).
     *
     * @return a sourced temp file the caller cleans up with {@link AgentSourcer#cleanup}, or null
     */
    public static Path provide(AgentConfig cfg, boolean embed, AgentSourcer agents, StagingRoot root, Path workDir,
            Log log) {
        if (!embed && "release".equals(cfg.sourceStrategy()) && cfg.repository().isEmpty()) {
            root.mkdirs(BUNDLE_GUEST_DIR);
            linkKestrel(root, Path.of(BUNDLE_GUEST_DIR, "bin", "kestrel"));
            log.info("agent not embedded: volantd attaches the agent image (build with --embed-agent for a guest "
                    + "booted without volantd)", "mount_point", BUNDLE_GUEST_DIR);
            return null;
        }
        SourcedAgent agent = agents.source(cfg, workDir);
        install(agent, root);
        return agent.bundle() ? null : agent.path();
    }

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
            linkKestrel(root, Path.of(BUNDLE_GUEST_DIR).resolve(agent.path().relativize(launcher)));
        }
    }

    /** {@code /bin/kestrel} → {@code target} (a guest path). */
    private static void linkKestrel(StagingRoot root, Path target) {
        Path link = root.resolveParentFollowingCreating(KESTREL);
        TempDirs.deleteTree(link);
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new FledgeException("failed to link " + KESTREL + ": " + e.getMessage(), e);
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
