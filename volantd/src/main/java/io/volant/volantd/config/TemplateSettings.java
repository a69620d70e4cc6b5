package io.volant.volantd.config;

import java.time.Duration;
import java.util.Map;

/**
 * Template knobs (docs/operations.md): {@code VOLANT_TEMPLATES} ({@code on}|{@code off}, default on),
 * {@code VOLANT_TEMPLATE_BOOT_TIMEOUT_SECONDS} (template boot until {@code warm}, default 300),
 * {@code VOLANT_CLONE_TIMEOUT_SECONDS} (clone resume until {@code applied}, default 60),
 * {@code VOLANT_TEMPLATE_RETRY_SECONDS} (cold boots after a failed template before trying again, default 600).
 */
public record TemplateSettings(boolean enabled, Duration bootTimeout, Duration cloneTimeout, Duration retryAfter) {
    public static final TemplateSettings DEFAULTS = new TemplateSettings(true, Duration.ofSeconds(300),
            Duration.ofSeconds(60), Duration.ofSeconds(600));

    /** Reads the variables above; a malformed value is a {@link ConfigException} naming it. */
    public static TemplateSettings fromEnv(Map<String, String> env) {
        String on = env.getOrDefault("VOLANT_TEMPLATES", "on").trim().toLowerCase(java.util.Locale.ROOT);
        if (!on.equals("on") && !on.equals("off")) {
            throw new ConfigException("VOLANT_TEMPLATES must be on or off, got \"" + on + "\"");
        }
        return new TemplateSettings(on.equals("on"),
                seconds(env, "VOLANT_TEMPLATE_BOOT_TIMEOUT_SECONDS", DEFAULTS.bootTimeout()),
                seconds(env, "VOLANT_CLONE_TIMEOUT_SECONDS", DEFAULTS.cloneTimeout()),
                seconds(env, "VOLANT_TEMPLATE_RETRY_SECONDS", DEFAULTS.retryAfter()));
    }

    private static Duration seconds(Map<String, String> env, String name, Duration def) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            long s = Long.parseLong(v.trim());
            if (s < 1) {
                throw new ConfigException(name + " must be >= 1, got " + s);
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number of seconds, got \"" + v + "\"");
        }
    }
}
