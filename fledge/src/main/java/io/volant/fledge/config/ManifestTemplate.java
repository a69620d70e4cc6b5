package io.volant.fledge.config;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.toml}, the runtime-defaults template (§4.3). Strings never null; {@code workload},
 * {@code network}, {@code cloudInit}, {@code devices} null when their table is absent.
 */
public record ManifestTemplate(
        String schemaVersion,
        String name,
        String version,
        String runtime,
        int cpuCores,
        int memoryMb,
        Workload workload,
        Map<String, String> env,
        Network network,
        Map<String, Action> actions,
        CloudInit cloudInit,
        List<String> pciPassthrough) {

    public record Workload(String entrypoint, List<String> args) {}

    public record Expose(long port, String protocol, long hostPort) {}

    public record Network(String mode, List<Expose> expose) {}

    public record Action(String path, String method) {}

    public record CloudInit(String datasource, boolean userDataInline, String userDataContent,
                            Map<String, Object> metaData) {}

    /** Built-in template (file absent), Chosen §7 F10: name derived from the work dir. */
    public static ManifestTemplate defaults(String name) {
        return new ManifestTemplate("v1", name, "1.0.0", name, 1, 256, null, Map.of(),
                new Network("bridged", List.of()), Map.of(), null, List.of());
    }

    /** §4.12 sanitize: spaces, {@code /} and {@code \} become {@code -}; lower-case. */
    public static String sanitize(String s) {
        return s.replace(' ', '-').replace('/', '-').replace('\\', '-').toLowerCase(java.util.Locale.ROOT);
    }
}
