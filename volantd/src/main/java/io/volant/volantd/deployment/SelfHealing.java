package io.volant.volantd.deployment;

import io.volant.manifest.time.Backoff;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EXTENSION B (control-plane.md §3.10), in every pass whatever the rollout does (also paused or failed): members
 * whose desired state is {@code running} but which are {@code crashed} or {@code stopped} are started again, and
 * running members whose agent turned unhealthy after having been healthy are restarted; each after its own
 * {@link #RESTART} delay (1 s after the first failure or exit, doubling to 300 s), reset once the replica
 * has run for 600 s. State is in memory only.
 */
final class SelfHealing {
    private static final Logger log = LoggerFactory.getLogger(SelfHealing.class);
    /** Per-replica restarts: 1 s doubling to 300 s (control-plane.md §3.10). */
    static final Backoff RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(300));
    static final Duration RESET_AFTER = Duration.ofSeconds(600);

    private final Clock clock;
    private final Map<String, Map<String, State>> byDeployment = new ConcurrentHashMap<>();

    SelfHealing(Clock clock) {
        this.clock = clock;
    }

    private static final class State {
        int failures;
        Instant nextAttempt;
        Instant lastStart;
    }

    /** Restarts due members; returns the delay until the next one is due, or null. */
    Duration heal(String deployment, List<VmRow> members, VmService vms, ReadinessProbe readiness, List<String> problems) {
        Instant now = clock.instant();
        Duration next = null;
        Map<String, State> states = byDeployment.computeIfAbsent(deployment, d -> new ConcurrentHashMap<>());
        for (VmRow m : members) {
            boolean live = vms.isLive(m.name());
            boolean exited = (m.status().equals("crashed") || m.status().equals("stopped")) && !live;
            boolean failing = m.status().equals("running") && live && readiness.failing(m.name());
            State st = states.get(m.name());
            if (!"running".equals(m.desiredState()) || !exited && !failing) {
                if (st != null && st.lastStart != null && !now.isBefore(st.lastStart.plus(RESET_AFTER))) {
                    states.remove(m.name());
                }
                continue;
            }
            if (st == null) {
                st = new State();
                states.put(m.name(), st);
            }
            if (st.lastStart != null && !now.isBefore(st.lastStart.plus(RESET_AFTER))) {
                st.failures = 0;
            }
            if (st.nextAttempt == null) {
                st.nextAttempt = now.plus(SelfHealing.RESTART.delay(st.failures + 1));
            }
            if (now.isBefore(st.nextAttempt)) {
                next = min(next, Duration.between(now, st.nextAttempt));
                continue;
            }
            st.failures++;
            st.lastStart = now;
            st.nextAttempt = null;
            try {
                log.info("deployment={} vm={} {} replica attempt={}", deployment, m.name(), failing ? "restarting unhealthy" : "starting exited",
                        st.failures);
                if (failing) {
                    vms.restart(m.name());
                } else {
                    vms.start(m.name());
                }
            } catch (ConflictException e) {
                // started meanwhile by someone else: fine
            } catch (RuntimeException e) {
                log.warn("deployment={} vm={} restart failed attempt={} error={}", deployment, m.name(), st.failures, e.getMessage());
                Duration wait = SelfHealing.RESTART.delay(st.failures + 1);
                st.nextAttempt = now.plus(wait);
                next = min(next, wait);
            }
        }
        return next;
    }

    private static Duration min(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    /** Drops state of VMs that are no longer members of {@code deployment}. */
    void retain(String deployment, List<VmRow> members) {
        Set<String> names = new HashSet<>();
        members.forEach(m -> names.add(m.name()));
        Map<String, State> states = byDeployment.get(deployment);
        if (states != null) {
            states.keySet().retainAll(names);
        }
    }

    void forgetDeployment(String deployment) {
        byDeployment.remove(deployment);
    }
}
