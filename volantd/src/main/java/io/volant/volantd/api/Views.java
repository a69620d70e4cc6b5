package io.volant.volantd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volantd.deployment.Condition;
import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.deployment.RevisionInfo;
import io.volant.volantd.deployment.Rollout;
import io.volant.volantd.deployment.Strategy;
import io.volant.volantd.vm.ConfigHistoryEntry;
import io.volant.volantd.vm.VersionedConfig;
import io.volant.volantd.vm.VmConfigCodec;
import java.time.Instant;
import java.util.List;

/**
 * Resource objects of api-and-cli.md §1.6 that are not the core's records as-is. Member names and "always
 * present" members are fixed here; the VM object is the core's {@link io.volant.volantd.vm.Vm}.
 */
final class Views {

    /** {@code {"version","updated_at","config"}}. */
    record ConfigView(int version, Instant updatedAt, ObjectNode config) {}

    /** {@code {"id","version","updated_at","config"}}. */
    record HistoryView(long id, int version, Instant updatedAt, ObjectNode config) {}

    /**
     * The deployment object: the upstream members, then {@code revision}, {@code updated_replicas},
     * {@code available_replicas}, {@code rollout}, {@code strategy}, {@code status} and {@code conditions}; in cluster
     * mode {@code members} (each replica with its node).
     */
    record DeploymentView(String name, int desiredReplicas, int readyReplicas, ObjectNode config,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant createdAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant updatedAt,
                          int revision, int updatedReplicas, int availableReplicas,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Rollout rollout,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Strategy strategy,
                          String status, List<Condition> conditions,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<Deployment.Member> members) {}

    /** One entry of {@code rollout history}. */
    record RevisionView(int revision, String digest, String cause, Instant createdAt, Instant usedAt, boolean current,
                        int replicas, ObjectNode config) {}

    ConfigView config(VersionedConfig c) {
        return new ConfigView(c.version(), c.updatedAt(), VmConfigCodec.toJson(c.config()));
    }

    HistoryView history(ConfigHistoryEntry e) {
        return new HistoryView(e.id(), e.version(), e.updatedAt(), VmConfigCodec.toJson(e.config()));
    }

    DeploymentView deployment(Deployment d) {
        return new DeploymentView(d.name(), d.desiredReplicas(), d.readyReplicas(), VmConfigCodec.toJson(d.config()),
                d.createdAt(), d.updatedAt(), d.revision(), d.updatedReplicas(), d.availableReplicas(), d.rollout(),
                d.strategy(), d.status(), d.conditions(), d.members());
    }

    RevisionView revision(RevisionInfo r) {
        return new RevisionView(r.revision(), r.digest(), r.cause(), r.createdAt(), r.usedAt(), r.current(), r.replicas(),
                VmConfigCodec.toJson(r.config()));
    }
}
