package io.volant.fledge.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Files that ship with this fledge rather than with a project: the guest helper's prebuilt static init
 * ({@code guest/build/volant-init}, §7 F8), the agent bundle ({@code build/agent-bundle}) and Debian's
 * busybox-static. Flags win over {@code FLEDGE_INIT_BINARY}/{@code FLEDGE_AGENT_BUNDLE}, which win over the
 * repository layout next to the fledge jar.
 */
public record Installation(Optional<Path> initBinary, Optional<Path> agentBundle, boolean embedAgent,
        Path debianBusybox) {
    public static final Path DEBIAN_BUSYBOX = Path.of("/bin/busybox");

    /**
     * @param embedFlag {@code --embed-agent}: copy the project's agent bundle into the image (else
     *                  {@code FLEDGE_EMBED_AGENT=1|true}; by default volantd provides it as a disk)
     */
    public static Installation locate(Map<String, String> env, Path initFlag, Path bundleFlag, boolean embedFlag) {
        Optional<Path> home = repoRoot(env);
        Path init = initFlag != null ? initFlag
                : env.containsKey("FLEDGE_INIT_BINARY") ? Path.of(env.get("FLEDGE_INIT_BINARY"))
                : home.map(h -> h.resolve("guest/build/volant-init")).orElse(null);
        Path bundle = bundleFlag != null ? bundleFlag
                : env.containsKey("FLEDGE_AGENT_BUNDLE") ? Path.of(env.get("FLEDGE_AGENT_BUNDLE"))
                : home.map(h -> h.resolve("build/agent-bundle")).orElse(null);
        boolean embed = embedFlag || java.util.Set.of("1", "true").contains(env.getOrDefault("FLEDGE_EMBED_AGENT", ""));
        return new Installation(Optional.ofNullable(init).filter(Files::isRegularFile),
                Optional.ofNullable(bundle).filter(Files::isDirectory), embed, DEBIAN_BUSYBOX);
    }

    /** {@code FLEDGE_HOME}, else the repository holding {@code fledge/target/fledge.jar} (or target/classes). */
    static Optional<Path> repoRoot(Map<String, String> env) {
        if (env.containsKey("FLEDGE_HOME")) {
            return Optional.of(Path.of(env.get("FLEDGE_HOME")));
        }
        try {
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // <repo>/fledge/target/fledge.jar or <repo>/fledge/target/classes
            Path target = code.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                Path repo = target.getParent().getParent();
                if (Files.isRegularFile(repo.resolve("pom.xml"))) {
                    return Optional.of(repo);
                }
            }
        } catch (Exception e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
