package io.volant.kestrel.workload;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the supervisor needs from a normalized manifest: the workload and its health check.
 *
 * @param baseUrl the workload's {@code base_url}, already parsed
 * @param healthEndpoint empty means "no health wait"
 * @param healthTimeout the manifest's {@code health_check.timeout_ms}; the supervisor applies the 120 s floor
 */
public record WorkloadSpec(
        URI baseUrl,
        List<String> entrypoint,
        Map<String, String> env,
        String workdir,
        String healthEndpoint,
        Duration healthTimeout) {

    public WorkloadSpec {
        entrypoint = List.copyOf(entrypoint);
        env = Map.copyOf(env);
    }
}
