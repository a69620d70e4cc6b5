package io.volant.volantd.deployment;

import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness and availability of members. Ready: {@code running}, a live instance, and (EXTENSION C) a healthy agent.
 * Available: ready without a break for the strategy's {@code min_ready_seconds}, counted from the first pass that
 * saw it ready (kept per launch, in memory: after a restart a member waits the minimum again).
 */
final class Availability {
    private final VmService vms;
    private final Clock clock;
    private final Map<String, Since> since = new ConcurrentHashMap<>();
    private volatile ReadinessProbe readiness = ReadinessProbe.ALWAYS_HEALTHY;

    private record Since(Long pid, Instant at) {}

    Availability(VmService vms, Clock clock) {
        this.vms = vms;
        this.clock = clock;
    }

    void setReadiness(ReadinessProbe r) {
        this.readiness = r;
    }

    ReadinessProbe readiness() {
        return readiness;
    }

    boolean ready(VmRow m) {
        return m.status().equals("running") && vms.isLive(m.name()) && readiness.healthy(m.name(), m.pid());
    }

    /** True when ready for at least {@code minReady}; records the start of readiness. */
    boolean available(VmRow m, Duration minReady) {
        if (!ready(m)) {
            since.remove(m.name());
            return false;
        }
        Instant now = clock.instant();
        Since s = since.compute(m.name(), (k, v) -> v == null || !java.util.Objects.equals(v.pid(), m.pid()) ? new Since(m.pid(), now) : v);
        return !now.isBefore(s.at().plus(minReady));
    }

    /** How long until a ready member becomes available; zero when it already is or is not ready. */
    Duration untilAvailable(VmRow m, Duration minReady) {
        Since s = since.get(m.name());
        if (s == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(clock.instant(), s.at().plus(minReady));
        return d.isNegative() ? Duration.ZERO : d;
    }

    void forget(String vm) {
        since.remove(vm);
    }
}
