package io.volant.fledge.build;

import io.volant.fledge.build.ManifestGenerator.Medium;
import io.volant.fledge.initramfs.InitramfsBuilder;
import io.volant.fledge.oci.RootfsBuilder;
import java.nio.file.Path;

/** Runs one build and writes the generated manifest; returns the artifact path. */
public final class BuildService {
    public record Result(Path artifact, Path manifest) {}

    public Result build(BuildContext ctx) {
        ctx.log().info("build started", "strategy", ctx.config().strategy(), "output", ctx.output(),
                "work_dir", ctx.workDir());
        ImageInfo info;
        Medium medium;
        String fsType = "";
        if (ctx.config().isInitramfs()) {
            info = new InitramfsBuilder(ctx).build();
            medium = Medium.INITRAMFS;
        } else {
            info = new RootfsBuilder(ctx).build();
            medium = Medium.ROOTFS;
            fsType = ctx.config().filesystem().type();
        }
        ManifestGenerator gen = new ManifestGenerator(ctx.log());
        Path manifest = gen.write(gen.generate(ctx.template(), medium, ctx.output(), fsType, info), ctx.output());
        ctx.log().info("build finished", "artifact", ctx.output(), "manifest", manifest);
        return new Result(ctx.output(), manifest);
    }
}
