package io.volant.kestrel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * kestrel's whole configuration, read once from the environment (plugins-and-guest.md §2.1). Values are trimmed;
 * an unparsable value falls back to its default, as upstream does. Note the literal lower-case {@code volant_} prefix.
 *
 * <p>Chosen additions (not upstream): {@code volant_AGENT_CMDLINE} (kernel command line file, default
 * {@code /proc/cmdline}; tests point it at a fake file) and {@code volant_AGENT_GUEST} ({@code auto}, {@code true},
 * {@code false}: whether to perform the guest-only duties — networking, hostname, DNS, power button, debug shell,
 * vsock; {@code auto} means "when the command line carries a {@code volant.} token", which the host always adds) and
 * {@code volant_AGENT_VSOCK_PORT} (AF_VSOCK port of the agent relay, default 8080, 0 disables it).
 *
 * @param listenHost empty for all interfaces
 * @param listenPort 0 picks a free port (tests)
 * @param defaultTimeout the proxy timeout for routes without their own; zero means no timeout
 */
public record AgentConfig(
        String listenHost,
        int listenPort,
        Duration defaultTimeout,
        String remoteDebuggingAddr,
        int remoteDebuggingPort,
        boolean enableShell,
        String shell,
        List<String> shellArgs,
        String shellTty,
        String manifestEnv,
        Path cmdlinePath,
        GuestMode guestMode,
        int vsockPort) {

    /** Whether the guest-only duties run. */
    public enum GuestMode { AUTO, ON, OFF }

    public static AgentConfig fromEnv(Map<String, String> env) {
        String listen = get(env, "volant_AGENT_LISTEN_ADDR", ":8080");
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "" : listen.substring(0, colon);
        int port = parsePort(colon < 0 ? listen : listen.substring(colon + 1), 8080);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String shellArgs = get(env, "volant_AGENT_SHELL_ARGS", "");
        return new AgentConfig(
                host,
                port,
                GoDurations.parse(get(env, "volant_AGENT_DEFAULT_TIMEOUT", "0"))
                        .filter(d -> !d.isNegative()).orElse(Duration.ZERO),
                get(env, "volant_AGENT_REMOTE_DEBUGGING_ADDR", ""),
                Math.max(0, parsePort(get(env, "volant_AGENT_REMOTE_DEBUGGING_PORT", "0"), 0)),
                parseBool(get(env, "volant_AGENT_ENABLE_SHELL", ""), true),
                get(env, "volant_AGENT_SHELL", "/bin/sh"),
                shellArgs.isEmpty() ? List.of() : Arrays.asList(shellArgs.split("\\s+")),
                get(env, "volant_AGENT_SHELL_TTY", "/dev/ttyS0"),
                get(env, "VOLANT_MANIFEST", ""),
                Path.of(get(env, "volant_AGENT_CMDLINE", "/proc/cmdline")),
                switch (get(env, "volant_AGENT_GUEST", "auto").toLowerCase(Locale.ROOT)) {
                    case "1", "true", "yes", "on" -> GuestMode.ON;
                    case "0", "false", "no", "off" -> GuestMode.OFF;
                    default -> GuestMode.AUTO;
                },
                parsePort(get(env, "volant_AGENT_VSOCK_PORT", "8080"), 8080));
    }

    private static String get(Map<String, String> env, String key, String dflt) {
        String v = env.get(key);
        if (v == null || v.trim().isEmpty()) {
            return dflt;
        }
        return v.trim();
    }

    private static int parsePort(String s, int dflt) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** {@code 1/true/yes/on} or {@code 0/false/no/off}, case-insensitive; anything else is the default. */
    static boolean parseBool(String s, boolean dflt) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> dflt;
        };
    }
}
