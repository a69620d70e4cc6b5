package io.volant.volantd.deployment;

import io.volant.volantd.vm.VmConfig;
import java.util.List;

/**
 * The deployment operations of the API: {@link DeploymentService} on a single host (SQLite), the cluster's store
 * in cluster mode (docs/cluster.md). Both validate alike and throw the same typed errors.
 */
public interface Deployments {
    /** 400 name/replicas/config/strategy, 409 exists. */
    Deployment create(String name, int replicas, VmConfig config, Strategy strategy);

    /** Ordered by name. */
    List<Deployment> list();

    /** 404 {@code orchestrator: deployment not found: <name>}. */
    Deployment get(String name);

    /** Scale and config update; 400 when nothing is given, 404. */
    Deployment update(String name, Integer replicas, VmConfig config, Strategy strategy);

    /** 404; the members go with the deployment. */
    void delete(String name);

    /** History, undo, pause, resume. */
    RolloutService rollouts();
}
