package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The program the agent starts, supervises and proxies.
 *
 * @param type       required; only {@code http} (case-insensitive) is supported; always serialized
 * @param baseUrl    where the agent proxies and probes, an absolute http(s) URL with a host
 * @param entrypoint argv of the workload, first element is the program; immutable, never null
 * @param env        extra environment; immutable, sorted, never null
 * @param workdir    working directory
 */
@JsonPropertyOrder({"type", "base_url", "entrypoint", "env", "workdir"})
public record Workload(
        @JsonProperty("type") String type,
        @JsonProperty("base_url") @JsonInclude(JsonInclude.Include.NON_EMPTY) String baseUrl,
        @JsonProperty("entrypoint") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> entrypoint,
        @JsonProperty("env") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> env,
        @JsonProperty("workdir") @JsonInclude(JsonInclude.Include.NON_EMPTY) String workdir) {

    public static final Workload EMPTY = new Workload("", "", List.of(), Map.of(), "");

    public Workload {
        type = Text.orEmpty(type);
        baseUrl = Text.orEmpty(baseUrl);
        entrypoint = Text.strings(entrypoint);
        env = Text.stringMap(env);
        workdir = Text.orEmpty(workdir);
    }

    /** Env values are left out: workload environments commonly carry secrets. */
    @Override
    public String toString() {
        return "Workload[type=" + type + ", baseUrl=" + baseUrl + ", entrypoint=" + entrypoint + ", env keys="
                + env.keySet() + ", workdir=" + workdir + "]";
    }
}
