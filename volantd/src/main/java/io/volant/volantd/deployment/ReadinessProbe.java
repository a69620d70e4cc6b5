package io.volant.volantd.deployment;

/**
 * EXTENSION C hook (control-plane.md §3.11): the latest agent-health verdict of a running member. The default
 * trusts every live instance (base readiness, §3.8 item 5); a prober of {@code /healthz} plugs in here.
 */
@FunctionalInterface
public interface ReadinessProbe {
    ReadinessProbe ALWAYS_HEALTHY = vm -> true;

    /** True when the VM's agent is healthy. Called only for running members with a live instance. */
    boolean healthy(String vmName);

    /**
     * As {@link #healthy(String)} for the launch with {@code pid}: a verdict about an earlier launch of the same name
     * (a replica replaced under its name) does not count.
     */
    default boolean healthy(String vmName, Long pid) {
        return healthy(vmName);
    }

    /** True when the running member's agent was healthy and has failed since (self-healing restarts it). */
    default boolean failing(String vmName) {
        return false;
    }

    /** {@code listener} runs after a verdict changes; a probe whose verdicts never change ignores it. */
    default void onChange(Runnable listener) {}
}
