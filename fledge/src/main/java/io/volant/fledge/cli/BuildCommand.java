package io.volant.fledge.cli;

import io.volant.fledge.build.BuildContext;
import io.volant.fledge.build.BuildService;
import io.volant.fledge.build.Installation;
import io.volant.fledge.build.Outputs;
import io.volant.fledge.config.ConfigLoader;
import io.volant.fledge.config.FledgeConfig;
import io.volant.fledge.config.ManifestTemplate;
import io.volant.fledge.config.TemplateLoader;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fledge build [DOCKERFILE]}: config mode or direct Dockerfile mode (§4.1). */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = BuildCommand.DESCRIPTION)
public final class BuildCommand implements Callable<Integer> {
    /** Also what {@code fledge --help} lists (it reads no annotation, docs/fledge.md "Start-up"). */
    public static final String DESCRIPTION = "Build a plugin artifact and its manifest";
    static final String DOCKERFILE_REQUIRED =
            "--dockerfile is required when using --output-initramfs, --context, --target, or --build-arg";

    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DOCKERFILE", description = "Dockerfile (direct mode)")
    String dockerfileArg;

    @Option(names = {"-c", "--config"}, defaultValue = "fledge.toml", description = "build configuration")
    String config;

    @Option(names = {"-m", "--manifest"}, defaultValue = "manifest.toml", description = "runtime-defaults template")
    String manifest;

    @Option(names = {"-o", "--output"}, description = "artifact path")
    String output;

    @Option(names = "--dockerfile", description = "Dockerfile for direct mode")
    String dockerfileOpt;

    @Option(names = "--context", description = "build context (direct mode)")
    String context;

    @Option(names = "--target", description = "multi-stage target")
    String target;

    @Option(names = "--build-arg", description = "KEY=VALUE, repeatable")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--output-initramfs", description = "direct mode: produce a .cpio.gz")
    boolean outputInitramfs;

    @Option(names = "--init-binary", description = "prebuilt static init (default: guest/build/volant-init)")
    Path initBinary;

    @Option(names = "--agent-bundle", description = "agent bundle directory (default: build/agent-bundle)")
    Path agentBundle;

    @Option(names = "--embed-agent", description = "copy the agent bundle into the image, for a guest booted without "
            + "volantd (default: volantd attaches it as a read-only disk)")
    boolean embedAgent;

    /** The logger the root command's global flags ask for (read at run time, after parsing). */
    private final Supplier<Log> log;
    private final Env env;

    public BuildCommand(Supplier<Log> log, Env env) {
        this.log = log;
        this.env = env;
    }

    @Override
    public Integer call() {
        Log log = this.log.get();
        execute(env, log, plan(log), abs(initBinary), abs(agentBundle), embedAgent);
        return 0;
    }

    /** Runs a planned build with its own temp dirs, removed afterwards and on SIGINT/SIGTERM. */
    static BuildService.Result execute(Env env, Log log, Plan plan, Path initBinary, Path agentBundle,
            boolean embedAgent) {
        TempDirs temps = new TempDirs(env.tempRoot());
        Thread hook = env.installShutdownHook() ? temps.installShutdownHook() : null;
        try {
            BuildContext ctx = new BuildContext(plan.config(), plan.template(), plan.workDir(), plan.output(), temps,
                    log, env.runners().apply(temps, log), env.http(),
                    Installation.locate(env.vars(), initBinary, agentBundle, embedAgent), env.vars());
            return new BuildService().build(ctx);
        } finally {
            temps.close();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running and cleans up
                }
            }
        }
    }

    private Path abs(Path p) {
        return p == null ? null : env.cwd().resolve(p);
    }

    public record Plan(FledgeConfig config, ManifestTemplate template, Path workDir, Path output) {}

    Plan plan(Log log) {
        boolean configGiven = spec.commandLine().getParseResult().hasMatchedOption("--config");
        boolean manifestGiven = spec.commandLine().getParseResult().hasMatchedOption("--manifest");
        String df = dockerfileArg;
        if (dockerfileOpt != null) {
            if (df != null && !env.cwd().resolve(df).normalize().equals(env.cwd().resolve(dockerfileOpt).normalize())) {
                throw new FledgeException("conflicting Dockerfiles: argument " + df + " and --dockerfile " + dockerfileOpt);
            }
            df = dockerfileOpt;
        }
        if (df == null) {
            if (outputInitramfs || context != null || target != null || !buildArgs.isEmpty()) {
                throw new FledgeException(DOCKERFILE_REQUIRED);
            }
            return configMode(log, manifestGiven);
        }
        if (configGiven) {
            throw new FledgeException("--config cannot be used with a Dockerfile (direct mode)");
        }
        return directMode(log, df, manifestGiven);
    }

    private Plan configMode(Log log, boolean manifestGiven) {
        Path cfgPath = env.cwd().resolve(config).normalize();
        Path workDir = cfgPath.getParent();
        Path manifestPath = (manifestGiven ? env.cwd() : workDir).resolve(manifest).normalize();
        return configPlan(log, cfgPath, manifestPath, manifestGiven, output == null ? null : env.cwd().resolve(output));
    }

    /**
     * Config mode (also used by {@code serve}): load the config, the template ({@code null} path = built-in
     * default), work dir = the config's directory, output by §4.12 when {@code out} is null (in the CWD).
     */
    Plan configPlan(Log log, Path cfgPath, Path manifestPath, boolean manifestGiven, Path out) {
        if (!Files.isRegularFile(cfgPath)) {
            throw new FledgeException("config file not found: " + cfgPath);
        }
        FledgeConfig cfg;
        try {
            cfg = new ConfigLoader(log).load(cfgPath);
        } catch (FledgeException e) {
            throw FledgeException.wrap("failed to parse config: ", e);
        }
        Path workDir = cfgPath.getParent();
        ManifestTemplate template = manifestPath == null ? template(log, workDir.resolve(".no-template"), false, workDir)
                : template(log, manifestPath, manifestGiven, workDir);
        if (out != null) {
            out = out.normalize();
        } else if (cfg.isInitramfs()) {
            out = env.cwd().resolve("plugin.cpio.gz");
        } else {
            String base = cfg.source().dockerfile().isEmpty() ? Outputs.imageName(localName(cfg.source().image())) : "plugin";
            out = env.cwd().resolve(base + ".img");
        }
        return new Plan(cfg, template, workDir, finalName(cfg, out.normalize()));
    }

    /** {@code oci:dir:tag} style references are named after the directory/archive, without the tag. */
    static String localName(String image) {
        for (String t : List.of("oci:", "oci-archive:", "docker-archive:")) {
            if (image.startsWith(t)) {
                String p = image.substring(t.length());
                // docker-archive:<path>[:<name:tag>]; oci:<dir>[:<tag>]
                int c = t.equals("docker-archive:") ? p.indexOf(':') : p.lastIndexOf(':');
                if (c > 0 && p.indexOf('/', c) < 0) {
                    p = p.substring(0, c);
                }
                p = p.replaceAll("/+$", "");
                String name = p.substring(p.lastIndexOf('/') + 1);
                return name.replaceAll("\\.(tar|oci)$", "");
            }
        }
        return image;
    }

    private Plan directMode(Log log, String df, boolean manifestGiven) {
        Path dockerfile = env.cwd().resolve(df).normalize();
        if (!Files.exists(dockerfile)) {
            throw new FledgeException("dockerfile not found: " + dockerfile);
        }
        if (Files.isDirectory(dockerfile)) {
            throw new FledgeException("dockerfile is a directory: " + dockerfile);
        }
        Path ctxDir = context == null ? dockerfile.getParent() : env.cwd().resolve(context).normalize();
        if (!Files.isDirectory(ctxDir)) {
            throw new FledgeException("build context is not a directory: " + ctxDir);
        }
        Map<String, String> args = new TreeMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new FledgeException("invalid --build-arg '" + a + "': expected KEY=VALUE with a non-empty key");
            }
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String strategy = outputInitramfs ? FledgeConfig.INITRAMFS : FledgeConfig.OCI_ROOTFS;
        FledgeConfig.SourceConfig source = new FledgeConfig.SourceConfig("", ctxDir.relativize(dockerfile).toString(),
                ".", target == null ? "" : target, Map.copyOf(args), "", "");
        FledgeConfig cfg = ConfigLoader.defaultsFor(new FledgeConfig("1", strategy,
                FledgeConfig.AgentConfig.releaseLatest(), null, source, null, Map.of()));
        String base = ctxDir.getFileName() == null ? "plugin" : Outputs.sanitize(ctxDir.getFileName().toString());
        if (base.isEmpty() || base.equals(".")) {
            base = "plugin";
        }
        ManifestTemplate template = manifestGiven
                ? template(log, env.cwd().resolve(manifest).normalize(), true, ctxDir)
                : new ManifestTemplate("v1", base, "1.0.0", base, 1, 256, null, Map.of(),
                        new ManifestTemplate.Network("bridged", List.of()), Map.of(), null, List.of());
        Path out = output != null ? env.cwd().resolve(output)
                : env.cwd().resolve(base + (outputInitramfs ? ".cpio.gz" : ".img"));
        return new Plan(cfg, template, ctxDir, finalName(cfg, out.normalize()));
    }

    private static Path finalName(FledgeConfig cfg, Path out) {
        if (!cfg.isInitramfs() && "squashfs".equals(cfg.filesystem().type())) {
            return Outputs.squashfsName(out);
        }
        return out;
    }

    private static ManifestTemplate template(Log log, Path path, boolean explicit, Path workDir) {
        if (!Files.isRegularFile(path)) {
            if (explicit) {
                throw new FledgeException("manifest file not found: " + path);
            }
            log.warn("manifest template not found; using the built-in default", "path", path);
            String name = workDir.getFileName() == null ? "plugin" : Outputs.sanitize(workDir.getFileName().toString());
            return ManifestTemplate.defaults(name.isEmpty() ? "plugin" : name);
        }
        return new TemplateLoader(log).load(path);
    }
}
