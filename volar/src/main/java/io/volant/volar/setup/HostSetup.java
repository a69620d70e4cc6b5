package io.volant.volar.setup;

import java.util.List;

/**
 * Applies a {@link SetupPlan} to the host (directories, bridge, forwarding, iptables, systemd unit). The real
 * implementation belongs to the host-runtime work (host-runtime.md §4.7); volar only plans and delegates.
 */
public interface HostSetup {
    /**
     * Carries the plan out.
     *
     * @return the commands actually executed, in order, in the recorded form of {@link SetupPlan#commands()}
     */
    List<String> apply(SetupPlan plan);

    /** What volar ships until the host-runtime implementation lands: refuses, naming the dry run as the way out. */
    HostSetup UNAVAILABLE = plan -> {
        throw new UnsupportedOperationException(
                "host setup is not implemented in this build; run with --dry-run to print the commands");
    };
}
