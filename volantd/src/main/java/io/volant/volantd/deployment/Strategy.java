package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.volant.volantd.errors.InvalidArgumentException;

/** EXTENSION A rollout strategy (control-plane.md §3.9): integers ≥ 0, not both 0; default surge 1, unavailable 0. */
public record Strategy(@JsonProperty("max_surge") int maxSurge, @JsonProperty("max_unavailable") int maxUnavailable) {
    public static final Strategy DEFAULT = new Strategy(1, 0);

    /** 400 naming the rule. */
    public Strategy validated() {
        if (maxSurge < 0) {
            throw new InvalidArgumentException("strategy: max_surge must be >= 0");
        }
        if (maxUnavailable < 0) {
            throw new InvalidArgumentException("strategy: max_unavailable must be >= 0");
        }
        if (maxSurge == 0 && maxUnavailable == 0) {
            throw new InvalidArgumentException("strategy: max_surge and max_unavailable cannot both be 0");
        }
        return this;
    }

    String toJson() {
        return "{\"max_surge\":" + maxSurge + ",\"max_unavailable\":" + maxUnavailable + "}";
    }

    static Strategy fromJson(String json) {
        if (json == null || json.isBlank()) {
            return DEFAULT;
        }
        try {
            var n = io.volant.manifest.Manifests.mapper().readTree(json);
            return new Strategy(n.path("max_surge").asInt(1), n.path("max_unavailable").asInt(0));
        } catch (java.io.IOException e) {
            return DEFAULT;
        }
    }
}
