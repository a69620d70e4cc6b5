package io.volant.fledge.initramfs;

import io.volant.fledge.agent.AgentInstaller;
import io.volant.fledge.agent.AgentSourcer;
import io.volant.fledge.build.BuildContext;
import io.volant.fledge.build.ImageInfo;
import io.volant.fledge.build.Outputs;
import io.volant.fledge.config.FledgeConfig;
import io.volant.fledge.mapping.Mappings;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.oci.ImageSources;
import io.volant.fledge.util.FledgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The initramfs pipeline (§4.8): staging tree → optional image overlay → BusyBox → init mode (§4.4) → agent →
 * mappings → reproducible {@code cpio.gz}. Needs neither root nor external tools.
 */
public final class InitramfsBuilder {
    static final List<String> DIRS = List.of("/bin", "/sbin", "/etc", "/proc", "/sys", "/dev", "/tmp", "/run",
            "/usr/bin", "/usr/sbin", "/usr/lib", "/var/log");
    static final String CUSTOM_INIT_GUEST = "/sbin/volant-custom-init";

    private final BuildContext ctx;

    public InitramfsBuilder(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** Builds the archive at {@code ctx.output()}; returns what an overlay image said about its workload. */
    public ImageInfo build() {
        FledgeConfig cfg = ctx.config();
        Path staging = ctx.temps().newDir("fledge-initramfs-");
        StagingRoot root = new StagingRoot(staging);
        ImageInfo info = ImageInfo.NONE;
        java.util.Map<String, io.volant.fledge.oci.Ownership.Special> specials = java.util.Map.of();
        List<Path> sourcedFiles = new ArrayList<>();
        AgentSourcer agents = new AgentSourcer(ctx.http(), ctx.temps(), ctx.installation().agentBundle(), ctx.log());
        try {
            for (String d : DIRS) {
                root.mkdirs(d);
            }
            if (!cfg.source().dockerfile().isEmpty() || !cfg.source().image().isEmpty()) {
                ImageSources.Unpacked unpacked = new ImageSources(ctx).unpack(staging, false);
                info = unpacked.info();
                specials = unpacked.ownership().specials();
                for (String d : DIRS) {
                    root.mkdirs(d);
                }
            }
            ctx.temps().checkAborted();
            BusyBoxInstaller busybox = new BusyBoxInstaller(ctx.http(), ctx.temps(), ctx.log(),
                    ctx.installation().debianBusybox());
            busybox.install(busybox.resolve(cfg.source().busyboxUrl(), cfg.source().busyboxSha256(), ctx.env(),
                    ctx.workDir()), root);
            FledgeConfig.InitMode mode = cfg.initMode();
            if (mode != FledgeConfig.InitMode.NONE) {
                installInit(root);
            }
            if (mode == FledgeConfig.InitMode.DEFAULT) {
                Path sourced = AgentInstaller.provide(cfg.agent(), ctx.installation().embedAgent(), agents, root,
                        ctx.workDir(), ctx.log());
                if (sourced != null) {
                    sourcedFiles.add(sourced);
                }
            }
            Mappings mappings = new Mappings(ctx.log());
            mappings.apply(mappings.prepare(cfg.mappings(), ctx.workDir()), root, ctx.temps());
            if (mode == FledgeConfig.InitMode.CUSTOM) {
                customInit(root, cfg.init().path());
            } else if (mode == FledgeConfig.InitMode.NONE) {
                Path init = root.resolveParentFollowing("/init");
                if (!isExecutableFile(init)) {
                    throw new FledgeException("no-init mode ([init] none=true) needs an executable /init in the "
                            + "image: map one with [mappings]");
                }
            }
            ctx.temps().checkAborted();
            List<CpioEntry> entries = new ArrayList<>(CpioWriter.scan(staging));
            // The image's device nodes and FIFOs were recorded, not created; a mapping at the same path wins.
            specials.forEach((path, sp) -> {
                if (!Files.exists(staging.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(CpioEntry.special(path.substring(1), sp.type(), sp.mode(), sp.major(), sp.minor()));
                }
            });
            if (entries.stream().noneMatch(e -> e.name().equals("dev/console"))) {
                entries.add(CpioEntry.charDevice("dev/console", 0600, 5, 1));
            }
            Outputs.writeAtomically(ctx.output(), ctx.temps(), tmp -> CpioWriter.writeGzip(entries, tmp));
            ctx.log().info("initramfs written", "path", ctx.output(), "entries", entries.size());
            return info;
        } finally {
            sourcedFiles.forEach(agents::cleanup);
            ctx.temps().release(staging);
        }
    }

    /** The project's prebuilt static init (F8) as {@code /init}, 0755. */
    private void installInit(StagingRoot root) {
        Path init = ctx.installation().initBinary().orElseThrow(() -> new FledgeException(
                "prebuilt init not found: build it with 'make -C guest' (guest/build/volant-init), or set "
                        + "FLEDGE_INIT_BINARY or --init-binary"));
        Path dst = root.resolveParentFollowingCreating("/init");
        io.volant.fledge.util.TempDirs.deleteTree(dst);
        Mappings.copyFile(init, dst, 0755);
    }

    /** §4.4 Chosen custom mode: the shim stays /init and execs the guest path written to /.volant_init. */
    private void customInit(StagingRoot root, String initPath) {
        String guest;
        if (initPath.startsWith("/") && Files.exists(root.resolveParentFollowing(initPath), LinkOption.NOFOLLOW_LINKS)) {
            guest = initPath;
        } else {
            Path host = ctx.workDir().resolve(initPath);
            if (!Files.isRegularFile(host)) {
                throw new FledgeException("custom init " + initPath + " is neither in the image nor a host file: "
                        + host);
            }
            Mappings.copyFile(host, root.resolveParentFollowingCreating(CUSTOM_INIT_GUEST), 0755);
            guest = CUSTOM_INIT_GUEST;
        }
        Path resolved = root.resolveParentFollowing(guest);
        if (Files.isSymbolicLink(resolved)) {
            resolved = root.resolveDirectory(guest);
        }
        if (!isExecutableFile(resolved)) {
            throw new FledgeException("custom init " + guest + " is missing or not executable in the image");
        }
        try {
            Path marker = root.resolveParentFollowingCreating("/.volant_init");
            Files.writeString(marker, guest + "\n", StandardCharsets.UTF_8);
            Modes.setMode(marker, 0644);
        } catch (IOException e) {
            throw new FledgeException("failed to write /.volant_init: " + e.getMessage(), e);
        }
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (Modes.mode(p) & 0111) != 0;
    }
}
