package io.volant.volantd.vm;

import io.volant.manifest.NetworkConfig;
import io.volant.volantd.drift.DriftExposure;
import io.volant.volantd.drift.DriftRoutes;
import io.volant.volantd.drift.ExposeRule;
import io.volant.volantd.drift.DriftRoute;
import io.volant.volantd.drift.RouteTarget;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.store.VmRow;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM's port exposure through driftd (control-plane.md §9): the routes of its {@code expose} rules reserved, applied,
 * taken over, released and cleaned up at start-up. Does nothing when Drift is not configured; callers hold the VM's
 * lock.
 */
final class VmRoutes {
    private static final Logger log = LoggerFactory.getLogger(VmRuntime.class);

    private final DriftExposure drift;

    VmRoutes(DriftExposure drift) {
        this.drift = drift;
    }

    boolean enabled() {
        return drift.enabled();
    }

    /**
     * Reserves the routes of {@code config.expose} for the VM (nothing when Drift is off or nothing is exposed).
     *
     * @throws io.volant.volantd.errors.ConflictException a key is owned outside the VM's deployment
     * @throws InvalidArgumentException                  a rule cannot be routed (§9 messages)
     */
    DriftExposure.Claim reserve(VmRow row, VmConfig config) {
        if (config.expose().isEmpty()) {
            return DriftExposure.Claim.NONE;
        }
        if (!drift.enabled()) {
            log.debug("drift not configured, expose ignored vm={}", row.name());
            return DriftExposure.Claim.NONE;
        }
        return drift.reserve(row.name(), row.groupName(), compute(row, config));
    }

    /** Upserts what {@link #reserve} reserved; on failure nothing stays applied or reserved (502). */
    void apply(VmRuntime.Acquired a) {
        drift.apply(a.routes);
        a.routesApplied = true;
    }

    /** Gives up what {@link #reserve} reserved but never applied. */
    void cancel(DriftExposure.Claim claim) {
        drift.cancel(claim);
    }

    /**
     * Claims and applies the routes of a running VM that nobody owns any more (a deployment member taking over from
     * a stopped owner, or a VM adopted after a volantd restart). Failures are logged; the next pass retries.
     */
    void takeOver(VmRow row, VmConfig config) {
        if (!drift.enabled() || config.expose().isEmpty()) {
            return;
        }
        try {
            VmRuntime.Acquired a = new VmRuntime.Acquired();
            a.routes = reserve(row, config);
            apply(a);
        } catch (RuntimeException e) {
            log.warn("drift route take-over failed vm={} error={}", row.name(), e.getMessage());
        }
    }

    /** Deletes the routes the VM owns; failures are logged, never fatal. */
    List<String> release(String name) {
        try {
            return drift.release(name);
        } catch (RuntimeException e) {
            log.warn("drift route removal failed vm={} error={}", name, e.getMessage());
            return List.of();
        }
    }

    /** Removes the routes a non-running VM's {@code expose} would have at driftd (startup clean-up, §9). */
    void dropStale(VmRow row, VmConfig config) {
        if (!drift.enabled() || config == null || config.expose().isEmpty()) {
            return;
        }
        try {
            drift.dropStale(row.name(), compute(row, config));
        } catch (RuntimeException e) {
            log.warn("drift stale route removal failed vm={} error={}", row.name(), e.getMessage());
        }
    }

    private static List<DriftRoute> compute(VmRow row, VmConfig config) {
        NetworkConfig net = VmConfigs.effectiveNetwork(config.network(), config.manifest());
        RouteTarget target = new RouteTarget(row.name(), row.ipAddress(), row.vsockCid(), net == null ? "" : net.mode());
        return DriftRoutes.compute(target, config.expose().stream()
                .map(e -> new ExposeRule(e.protocol(), e.port(), e.hostPort(), e.mode())).toList());
    }
}
