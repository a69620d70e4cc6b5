package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.manifest.Manifests;
import io.volant.volantd.errors.InvalidArgumentException;
import java.io.IOException;
import java.util.Set;

/**
 * The rollout strategy of a deployment. {@code max_surge} and {@code max_unavailable} are integers ≥ 0 or
 * percentages of the desired replicas ({@code "25%"}; surge rounds up, unavailable down); both literally 0 is
 * refused. A member missing from the JSON takes its default (surge 1, unavailable 0, min ready 0 s, deadline 600 s,
 * no auto-rollback), never 0.
 */
public record Strategy(
        @JsonProperty("max_surge") Amount maxSurge,
        @JsonProperty("max_unavailable") Amount maxUnavailable,
        @JsonProperty("min_ready_seconds") int minReadySeconds,
        @JsonProperty("progress_deadline_seconds") int progressDeadlineSeconds,
        @JsonProperty("auto_rollback") boolean autoRollback) {

    public static final Strategy DEFAULT = new Strategy(Amount.of(1), Amount.of(0), 0, 600, false);
    private static final Set<String> FIELDS = Set.of("max_surge", "max_unavailable", "min_ready_seconds",
            "progress_deadline_seconds", "auto_rollback");

    /** Shorthand for integer surge and unavailable with the other defaults. */
    public Strategy(int maxSurge, int maxUnavailable) {
        this(Amount.of(maxSurge), Amount.of(maxUnavailable), DEFAULT.minReadySeconds, DEFAULT.progressDeadlineSeconds, false);
    }

    /** An integer or a percentage; serialized as a JSON number or a {@code "N%"} string. */
    public record Amount(int value, boolean percent) {
        static Amount of(int v) {
            return new Amount(v, false);
        }

        @JsonValue
        Object json() {
            return percent ? value + "%" : value;
        }

        /** Against {@code desired} replicas; percentages round up when {@code roundUp}, else down. */
        int resolve(int desired, boolean roundUp) {
            if (!percent) {
                return value;
            }
            long scaled = (long) value * desired;
            return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
        }

        static Amount parse(JsonNode n, String field, Amount def) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return def;
            }
            if (n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0) {
                return of(n.asInt());
            }
            if (n.isTextual() && n.asText().matches("(100|[1-9]?[0-9])%")) {
                String t = n.asText();
                return new Amount(Integer.parseInt(t.substring(0, t.length() - 1)), true);
            }
            throw new InvalidArgumentException("strategy: " + field + " must be an integer >= 0 or a percentage 0%-100%");
        }
    }

    /** Surge against {@code desired} (percentages round up). */
    public int surge(int desired) {
        return maxSurge.resolve(desired, true);
    }

    /** Unavailable against {@code desired} (percentages round down); at least 1 when the surge resolves to 0. */
    public int unavailable(int desired) {
        int u = maxUnavailable.resolve(desired, false);
        return u == 0 && surge(desired) == 0 ? 1 : u;
    }

    /** Parses a request's {@code strategy} object: 400 naming the field for anything else. */
    public static Strategy parse(JsonNode n) {
        if (!(n instanceof ObjectNode o)) {
            throw new InvalidArgumentException("strategy must be an object");
        }
        o.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new InvalidArgumentException("strategy: unknown field " + f);
            }
        });
        Strategy s = new Strategy(Amount.parse(o.get("max_surge"), "max_surge", DEFAULT.maxSurge),
                Amount.parse(o.get("max_unavailable"), "max_unavailable", DEFAULT.maxUnavailable),
                seconds(o, "min_ready_seconds", DEFAULT.minReadySeconds, 0),
                seconds(o, "progress_deadline_seconds", DEFAULT.progressDeadlineSeconds, 1),
                bool(o, "auto_rollback"));
        return s.validated();
    }

    private static int seconds(ObjectNode o, String field, int def, int min) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > 86_400) {
            throw new InvalidArgumentException("strategy: " + field + " must be an integer from " + min + " to 86400");
        }
        return n.asInt();
    }

    private static boolean bool(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new InvalidArgumentException("strategy: " + field + " must be a boolean");
        }
        return n.asBoolean();
    }

    /** 400 naming the rule. */
    public Strategy validated() {
        if (maxSurge.value() < 0) {
            throw new InvalidArgumentException("strategy: max_surge must be >= 0");
        }
        if (maxUnavailable.value() < 0) {
            throw new InvalidArgumentException("strategy: max_unavailable must be >= 0");
        }
        if (maxSurge.value() == 0 && maxUnavailable.value() == 0) {
            throw new InvalidArgumentException("strategy: max_surge and max_unavailable cannot both be 0");
        }
        return this;
    }

    public String toJson() {
        return Manifests.mapper().valueToTree(this).toString();
    }

    /** The stored strategy; an absent or unreadable one is the default. */
    public static Strategy fromJson(String json) {
        if (json == null || json.isBlank()) {
            return DEFAULT;
        }
        try {
            return parse(Manifests.mapper().readTree(json));
        } catch (IOException | RuntimeException e) {
            return DEFAULT;
        }
    }
}
