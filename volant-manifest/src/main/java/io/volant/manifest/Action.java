package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A named workload action, exposed by the agent at {@code /v1<path>}. All members are always serialized.
 *
 * @param description free text
 * @param method      HTTP method, required (not upper-cased, not checked further)
 * @param path        request path on the workload, required
 * @param timeoutMs   per-request proxy timeout in milliseconds; 0 = agent default
 */
@JsonPropertyOrder({"description", "method", "path", "timeout_ms"})
public record Action(
        @JsonProperty("description") String description,
        @JsonProperty("method") String method,
        @JsonProperty("path") String path,
        @JsonProperty("timeout_ms") long timeoutMs) {

    public static final Action EMPTY = new Action("", "", "", 0);

    public Action {
        description = Text.orEmpty(description);
        method = Text.orEmpty(method);
        path = Text.orEmpty(path);
    }
}
