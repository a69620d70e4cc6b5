package io.volant.fledge.oci;

import io.volant.fledge.build.BuildContext;
import io.volant.fledge.config.FledgeConfig.SourceConfig;
import io.volant.fledge.util.FledgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * §4.10 Chosen: a Dockerfile is built by an external builder into a private OCI layout — buildah, else podman,
 * else {@code docker buildx}. Embedding BuildKit is out of scope.
 */
public final class DockerfileBuilder {
    static final String NO_BUILDER = "no Dockerfile builder found: install buildah (apt-get install buildah), "
            + "podman, or docker with buildx";

    private final BuildContext ctx;

    public DockerfileBuilder(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** Builds and returns an OCI layout directory holding the image as {@code latest}. */
    public Path build(Path layout) {
        SourceConfig s = ctx.config().source();
        Path dockerfile = ctx.workDir().resolve(s.dockerfile()).normalize();
        if (!Files.isRegularFile(dockerfile)) {
            throw new FledgeException("dockerfile not found: " + dockerfile);
        }
        Path context = s.context().isEmpty() ? dockerfile.getParent() : ctx.workDir().resolve(s.context()).normalize();
        if (!Files.isDirectory(context)) {
            throw new FledgeException("build context is not a directory: " + context);
        }
        List<String> common = new ArrayList<>(List.of("-f", dockerfile.toString()));
        if (!s.target().isEmpty()) {
            common.addAll(List.of("--target", s.target()));
        }
        s.buildArgs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> common.addAll(List.of("--build-arg", e.getKey() + "=" + e.getValue())));
        String tag = "localhost/fledge-build-" + UUID.randomUUID();
        if (ctx.runner().available("buildah")) {
            List<String> argv = new ArrayList<>(List.of("buildah", "bud", "--layers=false", "-t", tag));
            argv.addAll(common);
            argv.add(context.toString());
            ctx.runner().check(argv, null, Map.of());
            try {
                ctx.runner().check(List.of("buildah", "push", tag, "oci:" + layout + ":latest"), null, Map.of());
            } finally {
                ctx.runner().run(List.of("buildah", "rmi", tag), null, Map.of());
            }
            return layout;
        }
        if (ctx.runner().available("podman")) {
            List<String> argv = new ArrayList<>(List.of("podman", "build", "-t", tag));
            argv.addAll(common);
            argv.add(context.toString());
            ctx.runner().check(argv, null, Map.of());
            try {
                ctx.runner().check(List.of("podman", "push", tag, "oci:" + layout + ":latest"), null, Map.of());
            } finally {
                ctx.runner().run(List.of("podman", "rmi", tag), null, Map.of());
            }
            return layout;
        }
        if (ctx.runner().available("docker") && ctx.runner().run(List.of("docker", "buildx", "version"), null, Map.of()).ok()) {
            Path tar = layout.resolveSibling("image.oci.tar");
            List<String> argv = new ArrayList<>(List.of("docker", "buildx", "build",
                    "--output", "type=oci,dest=" + tar + ",name=" + tag + ":latest"));
            argv.addAll(common);
            argv.add(context.toString());
            ctx.runner().check(argv, null, Map.of());
            ctx.runner().check(List.of("skopeo", "copy", "--quiet", "oci-archive:" + tar, "oci:" + layout + ":latest"),
                    null, Map.of());
            return layout;
        }
        throw new FledgeException(NO_BUILDER);
    }
}
