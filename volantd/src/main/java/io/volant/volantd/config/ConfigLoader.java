package io.volant.volantd.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads volantd's environment into a {@link VolantdConfig} (api-and-cli.md §4.2, host-runtime.md §1). A variable
 * set to the empty string counts as unset; a leading {@code ~} expands to the home directory. Every invalid value
 * fails with a {@link ConfigException} naming the variable and the value.
 */
public final class ConfigLoader {
    private static final Set<String> BACKENDS = Set.of("auto", "cloud-hypervisor", "qemu", "simulated");

    private ConfigLoader() {}

    /** Where an installed agent image is looked for when {@code VOLANT_AGENT_IMAGE} is unset. */
    public static final Path INSTALLED_AGENT_IMAGE = Path.of("/var/lib/volant/agent-bundle.img");

    /**
     * Loads from the process environment. The agent image's default locations: the build of the checkout
     * {@code bin/volantd} runs from ({@code -Dvolant.home}, set by the launcher), then the installed one.
     */
    public static VolantdConfig fromEnvironment() {
        String user = System.getProperty("user.name", "");
        String volantHome = System.getProperty("volant.home", "");
        List<Path> agentImages = volantHome.isBlank() ? List.of(INSTALLED_AGENT_IMAGE)
                : List.of(Path.of(volantHome, "build", "agent-bundle.img"), INSTALLED_AGENT_IMAGE);
        return load(System.getenv(), System.getProperty("user.home"), "root".equals(user), agentImages);
    }

    /** {@link #load(Map, String, boolean, List)} with the installed agent image as the only default location. */
    public static VolantdConfig load(Map<String, String> env, String home, boolean root) {
        return load(env, home, root, List.of(INSTALLED_AGENT_IMAGE));
    }

    /**
     * Loads from {@code env}.
     *
     * @param home home directory used for {@code ~} expansion
     * @param root whether volantd runs as root (default data dir {@code /var/lib/volant})
     * @param agentImages where the agent image is looked for, in order, when {@code VOLANT_AGENT_IMAGE} is unset
     */
    public static VolantdConfig load(Map<String, String> env, String home, boolean root, List<Path> agentImages) {
        Env e = new Env(env);
        Path dataDir = e.path("VOLANT_DATA_DIR", home, defaultDataDir(env, home, root).toString());
        Path dbPath = e.path("VOLANT_DB_PATH", home, dataDir.resolve("state.db").toString());

        String listen = e.get("VOLANT_API_LISTEN", e.get("VOLANT_API_LISTEN_ADDR", "0.0.0.0:7777"));
        HostPort listenHp = HostPort.parse(listen, "invalid api listen address \"" + listen + "\": ");

        Subnet subnet = Subnet.parse(e.get("VOLANT_SUBNET", "192.168.127.0/24"));
        String hostIp = e.get("VOLANT_HOST_IP", "192.168.127.1");
        try {
            Subnet.parseIp(hostIp);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("invalid host ip \"" + hostIp + "\"");
        }
        if (!subnet.contains(hostIp)) {
            throw new ConfigException("orchestrator: host IP " + hostIp + " not in subnet " + subnet);
        }
        subnet.pool(hostIp); // fails early with the derive message

        String advertise = e.get("VOLANT_API_ADVERTISE", e.get("VOLANT_API_ADVERTISE_ADDR", ""));
        if (advertise.isEmpty()) {
            String port = listenHp.port().isEmpty() ? "7777" : listenHp.port();
            String host = HostPort.routable(listenHp.host()) ? listenHp.host() : hostIp;
            advertise = HostPort.join(host, port);
        } else {
            HostPort.parse(advertise, "invalid api advertise address \"" + advertise + "\": ");
        }

        Path runtimeDir = e.path("VOLANT_RUNTIME_DIR", home, home + "/.volant/run");
        Path logDir = e.path("VOLANT_LOG_DIR", home, home + "/.volant/logs");

        String backend = e.get("VOLANT_RUNTIME_BACKEND", "auto").toLowerCase(Locale.ROOT);
        if (!BACKENDS.contains(backend)) {
            throw new ConfigException("invalid VOLANT_RUNTIME_BACKEND \"" + backend
                    + "\": must be auto, cloud-hypervisor, qemu or simulated");
        }
        String accel = e.get("VOLANT_QEMU_ACCEL", "auto").toLowerCase(Locale.ROOT);
        if (!Set.of("auto", "kvm", "tcg").contains(accel)) {
            throw new ConfigException("invalid VOLANT_QEMU_ACCEL \"" + accel + "\": must be auto, kvm or tcg");
        }
        String guestAccess = e.get("VOLANT_API_GUEST_ACCESS", "restricted").toLowerCase(Locale.ROOT);
        if (!Set.of("restricted", "full").contains(guestAccess)) {
            throw new ConfigException("invalid VOLANT_API_GUEST_ACCESS \"" + guestAccess + "\": must be restricted or full");
        }
        String logLevel = e.get("VOLANT_LOG_LEVEL", "info").toLowerCase(Locale.ROOT);
        if (!Set.of("debug", "info", "warn", "error").contains(logLevel)) {
            throw new ConfigException("invalid VOLANT_LOG_LEVEL \"" + logLevel + "\": must be debug, info, warn or error");
        }
        String health = e.get("VOLANT_SIMULATED_HEALTH", "healthy").toLowerCase(Locale.ROOT);
        if (!Set.of("healthy", "unhealthy").contains(health)) {
            throw new ConfigException("invalid VOLANT_SIMULATED_HEALTH \"" + health + "\": must be healthy or unhealthy");
        }
        String drift = e.trimmed("VOLANT_DRIFT_ENDPOINT", "");
        if (!drift.isEmpty()) {
            try {
                java.net.URI u = new java.net.URI(drift);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new ConfigException("drift endpoint must include scheme and host");
                }
            } catch (java.net.URISyntaxException ex) {
                throw new ConfigException("invalid drift endpoint \"" + drift + "\": " + ex.getMessage());
            }
        }

        return new VolantdConfig(
                dataDir, dbPath, listen, advertise,
                e.get("VOLANT_BRIDGE", "vbr0"), subnet, hostIp, runtimeDir, logDir,
                Path.of(e.trimmed("VOLANT_KERNEL_BZIMAGE", "/var/lib/volant/kernel/bzImage")),
                Path.of(e.trimmed("VOLANT_KERNEL_VMLINUX", "/var/lib/volant/kernel/vmlinux")),
                e.get("VOLANT_HYPERVISOR", "cloud-hypervisor"),
                drift, e.trimmed("VOLANT_DRIFT_API_KEY", ""),
                e.get("VOLANT_API_KEY", ""),
                e.list("VOLANT_API_ALLOW_CIDR"), e.list("VOLANT_CORS_ORIGINS"), e.list("VOLANT_TRUSTED_PROXIES"),
                guestAccess, logLevel, backend,
                e.get("VOLANT_QEMU_BINARY", "qemu-system-x86_64"), e.get("VOLANT_QEMU_MACHINE", "q35"), accel,
                e.get("VOLANT_GUEST_KERNEL", ""), e.get("VOLANT_GUEST_MODULES_DIR", ""), e.list("VOLANT_GUEST_MODULES"),
                e.get("VOLANT_BASE_INITRAMFS", ""),
                agentImage(e, home, agentImages),
                Duration.ofSeconds(e.nonNegative("VOLANT_STOP_GRACE_SECONDS", 15)),
                e.list("VOLANT_ARTIFACT_ROOTS"),
                e.path("VOLANT_CACHE_DIR", home, runtimeDir.resolve("cache").toString()),
                e.bool("VOLANT_HOST_BOOTSTRAP", true),
                Duration.ofMillis(e.nonNegative("VOLANT_SIMULATED_LAUNCH_MS", 0)),
                Duration.ofMillis(e.nonNegative("VOLANT_SIMULATED_READY_MS", 0)),
                "healthy".equals(health),
                Duration.ofSeconds(10),
                e.bool("VOLANT_LEAVE_VMS_RUNNING", false),
                TemplateSettings.fromEnv(env),
                limits(e),
                tls(e, home),
                ClusterSettings.fromEnv(env));
    }

    /** Cert and key together or not at all; a client CA only with them; every named file readable. */
    private static TlsFiles tls(Env e, String home) {
        String cert = e.trimmed("VOLANT_TLS_CERT", "");
        String key = e.trimmed("VOLANT_TLS_KEY", "");
        String ca = e.trimmed("VOLANT_TLS_CLIENT_CA", "");
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ConfigException("VOLANT_TLS_CERT and VOLANT_TLS_KEY must be set together");
        }
        if (cert.isEmpty()) {
            if (!ca.isEmpty()) {
                throw new ConfigException("VOLANT_TLS_CLIENT_CA needs VOLANT_TLS_CERT and VOLANT_TLS_KEY");
            }
            return TlsFiles.none();
        }
        return new TlsFiles(readable(e, "VOLANT_TLS_CERT", home), readable(e, "VOLANT_TLS_KEY", home),
                ca.isEmpty() ? null : readable(e, "VOLANT_TLS_CLIENT_CA", home));
    }

    /**
     * {@code VOLANT_AGENT_IMAGE}: when set, a readable squashfs (else startup fails naming it); unset, the first
     * default location holding a file, else none (guests then need the agent in their own boot media).
     */
    private static Path agentImage(Env e, String home, List<Path> defaults) {
        if (e.trimmed("VOLANT_AGENT_IMAGE", "").isEmpty()) {
            return defaults.stream().filter(java.nio.file.Files::isRegularFile).findFirst().orElse(null);
        }
        Path p = readable(e, "VOLANT_AGENT_IMAGE", home);
        byte[] magic;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
            magic = in.readNBytes(4);
        } catch (java.io.IOException ex) {
            throw new ConfigException("invalid VOLANT_AGENT_IMAGE \"" + p + "\": " + ex.getMessage());
        }
        if (!"hsqs".equals(new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1))) {
            throw new ConfigException("invalid VOLANT_AGENT_IMAGE \"" + p
                    + "\": not a squashfs image (build it with scripts/build-agent-image.sh)");
        }
        return p;
    }

    private static Path readable(Env e, String name, String home) {
        Path p = e.path(name, home, "");
        if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
            throw new ConfigException("invalid " + name + " \"" + p + "\": not a readable file");
        }
        return p;
    }

    private static Limits limits(Env e) {
        Limits host = Limits.forHost();
        return new Limits(
                (int) e.positive("VOLANT_MAX_REPLICAS", host.maxReplicas(), Integer.MAX_VALUE),
                (int) e.positive("VOLANT_MAX_VMS", host.maxVms(), Integer.MAX_VALUE),
                (int) e.positive("VOLANT_MAX_VM_CPUS", host.maxCpuCores(), Integer.MAX_VALUE),
                e.positive("VOLANT_MAX_VM_MEMORY_MB", host.maxMemoryMb(), Integer.MAX_VALUE));
    }

    static Path defaultDataDir(Map<String, String> env, String home, boolean root) {
        if (root) {
            return Path.of("/var/lib/volant");
        }
        String xdg = env.getOrDefault("XDG_DATA_HOME", "");
        return xdg.isBlank() ? Path.of(home, ".local", "share", "volant") : Path.of(xdg, "volant");
    }

    /** Variable access with the "empty = unset" rule. */
    private record Env(Map<String, String> env) {
        String get(String name, String def) {
            String v = env.get(name);
            return v == null || v.isEmpty() ? def : v;
        }

        String trimmed(String name, String def) {
            String v = get(name, "").trim();
            return v.isEmpty() ? def : v;
        }

        Path path(String name, String home, String def) {
            String v = get(name, def);
            if (v.equals("~") || v.startsWith("~")) {
                v = home + v.substring(1);
                if (!v.startsWith(home + "/") && !v.equals(home)) {
                    v = home + "/" + v.substring(home.length());
                }
            }
            return Path.of(v).toAbsolutePath().normalize();
        }

        List<String> list(String name) {
            List<String> out = new ArrayList<>();
            for (String s : get(name, "").split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
            return out;
        }

        long nonNegative(String name, long def) {
            String v = get(name, "").trim();
            if (v.isEmpty()) {
                return def;
            }
            try {
                long n = Long.parseLong(v);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException ex) {
                throw new ConfigException("invalid " + name + " \"" + v + "\": must be a non-negative integer");
            }
        }

        long positive(String name, long def, long max) {
            String v = get(name, "").trim();
            if (v.isEmpty()) {
                return def;
            }
            try {
                long n = Long.parseLong(v);
                if (n < 1 || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException ex) {
                throw new ConfigException("invalid " + name + " \"" + v + "\": must be an integer from 1 to " + max);
            }
        }

        boolean bool(String name, boolean def) {
            String v = get(name, "").trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "" -> def;
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new ConfigException("invalid " + name + " \"" + v + "\": must be true or false");
            };
        }
    }
}
