package io.volant.fledge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.volant.fledge.config.FledgeConfig.AgentConfig;
import io.volant.fledge.config.FledgeConfig.FilesystemConfig;
import io.volant.fledge.config.FledgeConfig.InitConfig;
import io.volant.fledge.config.FledgeConfig.InitMode;
import io.volant.fledge.config.FledgeConfig.SourceConfig;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Loads {@code fledge.toml} (§4.2): read → parse TOML (unknown keys warned) → defaults → validate. */
public final class ConfigLoader {
    public static final String DEFAULT_BUSYBOX_URL =
            "https://busybox.net/downloads/binaries/1.35.0-x86_64-linux-musl/busybox";
    public static final String DEFAULT_BUSYBOX_SHA256 =
            "6e123e7f3202a8c1e9b1f94d8941580a25135382b99e8d3e34fb858bba311348";
    private static final Set<String> FS_TYPES = Set.of("squashfs", "ext4", "xfs", "btrfs");

    private final Log log;

    public ConfigLoader(Log log) {
        this.log = log;
    }

    public FledgeConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FledgeException("failed to read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text);
    }

    public FledgeConfig parse(String toml) {
        FledgeConfig raw;
        try {
            raw = read(toml);
        } catch (FledgeException e) {
            throw FledgeException.wrap("failed to parse TOML: ", e);
        }
        FledgeConfig cfg = applyDefaults(raw);
        try {
            validate(cfg);
        } catch (FledgeException e) {
            throw FledgeException.wrap("validation failed: ", e);
        }
        return cfg;
    }

    static ObjectNode parseTree(String toml) {
        try {
            JsonNode n = new TomlMapper().readTree(toml);
            if (n == null || !n.isObject()) {
                return new TomlMapper().createObjectNode();
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new FledgeException(msg, e);
        }
    }

    private FledgeConfig read(String toml) {
        TomlTable root = new TomlTable(parseTree(toml), "");
        String version = root.string("version");
        String strategy = root.string("strategy");
        AgentConfig agent = null;
        TomlTable a = root.table("agent");
        if (a != null) {
            agent = new AgentConfig(a.string("source_strategy"), a.string("version"), a.string("path"),
                    a.string("url"), a.string("checksum"), a.string("repository"), a.string("asset"),
                    a.string("api_url"));
        }
        InitConfig init = null;
        TomlTable i = root.table("init");
        if (i != null) {
            init = new InitConfig(i.string("path"), i.bool("none"));
        }
        SourceConfig source = SourceConfig.empty();
        TomlTable s = root.table("source");
        if (s != null) {
            source = new SourceConfig(s.string("image"), s.string("dockerfile"), s.string("context"),
                    s.string("target"), Map.copyOf(s.stringMap("build_args")), s.string("busybox_url"),
                    s.string("busybox_sha256"));
        }
        FilesystemConfig fs = null;
        TomlTable f = root.table("filesystem");
        if (f != null) {
            fs = new FilesystemConfig(f.string("type"), f.integer("size_buffer_mb"), f.bool("preallocate"),
                    f.integer("compression_level"), f.string("overlay_size"));
        }
        Map<String, String> mappings = root.stringMap("mappings");
        for (String key : root.unknownKeys()) {
            log.warn("unknown key in fledge.toml ignored", "key", key);
        }
        return new FledgeConfig(version, strategy, agent, init, source, fs, mappings);
    }

    /** Defaults plus validation for an in-memory config (direct mode, serve). */
    public static FledgeConfig defaultsFor(FledgeConfig c) {
        FledgeConfig d = applyDefaults(c);
        validate(d);
        return d;
    }

    /** §4.2 defaults, applied before validation. */
    static FledgeConfig applyDefaults(FledgeConfig c) {
        AgentConfig agent = c.agent();
        SourceConfig source = c.source();
        FilesystemConfig fs = c.filesystem();
        if (FledgeConfig.INITRAMFS.equals(c.strategy())) {
            if (agent == null && c.initMode() == InitMode.DEFAULT) {
                agent = AgentConfig.releaseLatest();
            }
            if (source.busyboxUrl().isEmpty()) {
                // Chosen (§7 F5): the default digest only goes with the default URL.
                String sha = source.busyboxSha256().isEmpty() ? DEFAULT_BUSYBOX_SHA256 : source.busyboxSha256();
                source = new SourceConfig(source.image(), source.dockerfile(), source.context(), source.target(),
                        source.buildArgs(), DEFAULT_BUSYBOX_URL, sha);
            }
        }
        if (FledgeConfig.OCI_ROOTFS.equals(c.strategy())) {
            if (fs == null) {
                fs = FilesystemConfig.defaults();
            } else {
                String type = fs.type().isEmpty() ? "squashfs" : fs.type();
                long level = fs.compressionLevel();
                String overlay = fs.overlaySize();
                if ("squashfs".equals(type)) {
                    level = level == 0 ? 15 : level;
                    overlay = overlay.isEmpty() ? "1G" : overlay;
                }
                fs = new FilesystemConfig(type, fs.sizeBufferMb(), fs.preallocate(), level, overlay);
            }
        }
        return new FledgeConfig(c.version(), c.strategy(), agent, c.init(), source, fs, c.mappings());
    }

    /** §4.2 validation order; the first failure wins; messages are exact. */
    static void validate(FledgeConfig c) {
        if (c.version().isEmpty()) {
            throw new FledgeException("'version' field is required");
        }
        if (!"1".equals(c.version())) {
            throw new FledgeException("unsupported config version '" + c.version() + "', expected '1'");
        }
        if (c.strategy().isEmpty()) {
            throw new FledgeException("'strategy' field is required");
        }
        switch (c.strategy()) {
            case FledgeConfig.OCI_ROOTFS -> validateOci(c);
            case FledgeConfig.INITRAMFS -> validateInitramfs(c);
            default -> throw new FledgeException(
                    "invalid strategy '" + c.strategy() + "', must be 'oci_rootfs' or 'initramfs'");
        }
        for (Map.Entry<String, String> m : c.mappings().entrySet()) {
            validateMapping(m.getKey(), m.getValue());
        }
    }

    private static void validateOci(FledgeConfig c) {
        boolean image = !c.source().image().isEmpty();
        boolean dockerfile = !c.source().dockerfile().isEmpty();
        if (!image && !dockerfile) {
            throw new FledgeException(
                    "either 'source.image' or 'source.dockerfile' is required for oci_rootfs strategy");
        }
        if (image && dockerfile) {
            throw new FledgeException(
                    "only one of 'source.image' or 'source.dockerfile' may be specified for oci_rootfs strategy");
        }
        FilesystemConfig fs = c.filesystem();
        if (fs == null) {
            throw new FledgeException("'filesystem' section is required for oci_rootfs strategy");
        }
        if (!FS_TYPES.contains(fs.type())) {
            throw new FledgeException("invalid filesystem type '" + fs.type()
                    + "', must be one of: squashfs (recommended), ext4, xfs, btrfs");
        }
        if ("squashfs".equals(fs.type())) {
            if (fs.compressionLevel() < 0 || fs.compressionLevel() > 22) {
                throw new FledgeException(
                        "squashfs compression_level must be between 0-22, got " + fs.compressionLevel());
            }
            if (fs.overlaySize().isEmpty()) {
                throw new FledgeException("squashfs overlay_size is required");
            }
        }
        if (fs.sizeBufferMb() < 0) {
            throw new FledgeException("filesystem.size_buffer_mb must be non-negative, got " + fs.sizeBufferMb());
        }
        // §7 F2: [agent] is optional for oci_rootfs; when present it follows the same rules.
        if (c.agent() != null) {
            validateAgent(c.agent());
        }
    }

    private static void validateInitramfs(FledgeConfig c) {
        if (c.init() != null && c.init().none() && !c.init().path().isEmpty()) {
            throw new FledgeException("[init] cannot specify both none=true and path");
        }
        switch (c.initMode()) {
            case DEFAULT -> {
                if (c.agent() == null) {
                    throw new FledgeException("'agent' section is required for default init mode (no [init] section)");
                }
                validateAgent(c.agent());
            }
            case CUSTOM -> {
                if (c.agent() != null) {
                    throw new FledgeException(
                            "'agent' section cannot be specified with custom init mode ([init] path set)");
                }
            }
            case NONE -> {
                if (c.agent() != null) {
                    throw new FledgeException(
                            "'agent' section cannot be specified with no-init mode ([init] none=true)");
                }
            }
        }
    }

    static void validateAgent(AgentConfig a) {
        switch (a.sourceStrategy()) {
            case "" -> throw new FledgeException("'agent.source_strategy' is required");
            case "release" -> {
                if (a.version().isEmpty()) {
                    throw new FledgeException("'agent.version' is required when using 'release' source strategy");
                }
            }
            case "local" -> {
                if (a.path().isEmpty()) {
                    throw new FledgeException("'agent.path' is required when using 'local' source strategy");
                }
            }
            case "http" -> {
                if (a.url().isEmpty()) {
                    throw new FledgeException("'agent.url' is required when using 'http' source strategy");
                }
            }
            default -> throw new FledgeException("invalid agent.source_strategy '" + a.sourceStrategy()
                    + "', must be one of: release, local, http");
        }
    }

    static void validateMapping(String src, String dst) {
        if (src.isEmpty()) {
            throw new FledgeException("mapping source path cannot be empty");
        }
        if (dst.isEmpty()) {
            throw new FledgeException("mapping destination path cannot be empty for source '" + src + "'");
        }
        if (!dst.startsWith("/")) {
            throw new FledgeException("mapping destination '" + dst + "' must be an absolute path (start with /)");
        }
        if (dst.contains("..")) {
            throw new FledgeException("mapping destination '" + dst + "' contains '..' which is not allowed");
        }
    }
}
