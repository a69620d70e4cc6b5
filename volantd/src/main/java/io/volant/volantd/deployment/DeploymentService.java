package io.volant.volantd.deployment;

import io.volant.volantd.vm.VmConfig;
import java.util.List;

/**
 * Deployments (control-plane.md §3): create/scale run one controller pass before returning; the controller
 * keeps members converged afterwards. Thread-safe.
 */
public final class DeploymentService {

    /** 400 name/replicas/config, 409 exists or plugin disabled. Returns the state after one pass. */
    public Deployment create(String name, int replicas, VmConfig config) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Ordered by name. */
    public List<Deployment> list() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** 404 {@code orchestrator: deployment not found: <name>}. */
    public Deployment get(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** 400 {@code orchestrator: replicas must be >= 0}, 404; returns the state after one pass. */
    public Deployment scale(String name, int replicas) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Stops and removes every member, their seeds and leases, then the group (§3.8 item 7). */
    public void delete(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
