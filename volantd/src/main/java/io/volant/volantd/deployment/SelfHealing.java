package io.volant.volantd.deployment;

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
 * EXTENSION B (control-plane.md §3.10): members whose desired state is {@code running} but which are
 * {@code crashed} or {@code stopped} are restarted, each after its own backoff: 1 s after the first failure or
 * exit, doubling to 300 s, reset once the replica has run for 600 s. State is in memory only.
 */
final class SelfHealing {
    private static final Logger log = LoggerFactory.getLogger(SelfHealing.class);
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(300);
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
    Duration heal(String deployment, List<VmRow> members, VmService vms, List<String> problems) {
        Instant now = clock.instant();
        Duration next = null;
        Map<String, State> states = byDeployment.computeIfAbsent(deployment, d -> new ConcurrentHashMap<>());
        for (VmRow m : members) {
            boolean down = m.status().equals("crashed") || m.status().equals("stopped");
            State st = states.get(m.name());
            if (!down || !"running".equals(m.desiredState()) || vms.isLive(m.name())) {
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
                st.nextAttempt = now.plus(delay(st.failures));
            }
            if (now.isBefore(st.nextAttempt)) {
                Duration wait = Duration.between(now, st.nextAttempt);
                next = next == null || wait.compareTo(next) < 0 ? wait : next;
                continue;
            }
            st.failures++;
            st.lastStart = now;
            st.nextAttempt = null;
            try {
                log.info("deployment={} vm={} restarting replica attempt={}", deployment, m.name(), st.failures);
                vms.start(m.name());
            } catch (ConflictException e) {
                // started meanwhile by someone else: fine
            } catch (RuntimeException e) {
                log.warn("deployment={} vm={} restart failed attempt={} error={}", deployment, m.name(), st.failures, e.getMessage());
                st.nextAttempt = now.plus(delay(st.failures));
                Duration wait = delay(st.failures);
                next = next == null || wait.compareTo(next) < 0 ? wait : next;
            }
        }
        return next;
    }

    static Duration delay(int failures) {
        long secs = BASE.toSeconds() << Math.min(failures, 9);
        return Duration.ofSeconds(Math.min(secs, CAP.toSeconds()));
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
