package io.volant.kestrel.boot;

import io.volant.kestrel.http.WorkloadRoutes;
import io.volant.kestrel.workload.WorkloadSpec;
import java.util.List;
import java.util.Optional;

/**
 * What kestrel takes from a normalized manifest.
 *
 * @param routes present when the workload is {@code http} and its {@code base_url} parses (the {@code /v1} surface)
 * @param workload present when, in addition, there is an entrypoint to start
 * @param notes why a part is absent, for the log
 */
public record AgentManifest(String name, Optional<WorkloadRoutes> routes, Optional<WorkloadSpec> workload,
                            List<String> notes) {
    public AgentManifest {
        notes = List.copyOf(notes);
    }
}
