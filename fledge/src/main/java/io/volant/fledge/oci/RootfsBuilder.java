package io.volant.fledge.oci;

import io.volant.fledge.agent.AgentInstaller;
import io.volant.fledge.agent.AgentSourcer;
import io.volant.fledge.build.BuildContext;
import io.volant.fledge.build.ImageInfo;
import io.volant.fledge.build.Outputs;
import io.volant.fledge.mapping.Mappings;
import io.volant.fledge.mapping.StagingRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OCI rootfs pipeline (§4.9): unpack (or build) the image into a private root, write the config to
 * {@code /etc/fsify-entrypoint}, add the agent when {@code [agent]} is set (§7 F2), apply mappings, make the
 * file-system image in the temp dir and move it to the output.
 */
public final class RootfsBuilder {
    private static final List<String> DOCKERFILE_DIRS = List.of("/bin", "/usr", "/usr/bin", "/usr/local",
            "/usr/local/bin", "/etc", "/tmp", "/var");

    private final BuildContext ctx;

    public RootfsBuilder(BuildContext ctx) {
        this.ctx = ctx;
    }

    public ImageInfo build() {
        Path work = ctx.temps().newDir("fledge-oci-");
        Path rootfs = work.resolve("unpacked-rootfs").resolve("rootfs");
        AgentSourcer agents = new AgentSourcer(ctx.http(), ctx.temps(), ctx.installation().agentBundle(), ctx.log());
        Path sourcedFile = null;
        try {
            Files.createDirectories(rootfs);
            boolean asRoot = Privileges.isRoot();
            ImageSources.Unpacked unpacked = new ImageSources(ctx).unpack(rootfs, true);
            StagingRoot root = new StagingRoot(rootfs);
            if (!ctx.config().source().dockerfile().isEmpty()) {
                DOCKERFILE_DIRS.forEach(root::mkdirs);
            }
            if (ctx.config().agent() != null) {
                sourcedFile = AgentInstaller.provide(ctx.config().agent(), ctx.installation().embedAgent(), agents,
                        root, ctx.workDir(), ctx.log());
            } else {
                ctx.log().info("no [agent]: the base initramfs supplies kestrel");
            }
            Mappings mappings = new Mappings(ctx.log());
            mappings.apply(mappings.prepare(ctx.config().mappings(), ctx.workDir()), root, ctx.temps());
            ctx.temps().checkAborted();
            String type = ctx.config().filesystem().type();
            Path image = work.resolve("squashfs".equals(type) ? "fs-image.squashfs" : "fs-image.img");
            String name = ctx.template().name().isEmpty() ? "plugin" : ctx.template().name();
            new FsImages(ctx.runner(), ctx.temps(), ctx.log(), asRoot)
                    .make(ctx.config().filesystem(), rootfs, unpacked.ownership(), image, name);
            Outputs.move(image, ctx.output(), ctx.temps());
            ctx.log().info("rootfs image written", "path", ctx.output(), "type", type);
            return unpacked.info();
        } catch (java.io.IOException e) {
            throw new io.volant.fledge.util.FledgeException("failed to prepare rootfs: " + e.getMessage(), e);
        } finally {
            if (sourcedFile != null) {
                agents.cleanup(sourcedFile);
            }
            if (ctx.env().getOrDefault("FLEDGE_KEEP_TEMP", "").isEmpty()) {
                ctx.temps().release(work);
            } else {
                ctx.log().info("keeping temp dir (FLEDGE_KEEP_TEMP)", "path", work);
            }
        }
    }
}
