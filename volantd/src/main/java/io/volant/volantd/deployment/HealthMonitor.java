package io.volant.volantd.deployment;

import io.volant.volantd.agent.AgentProbe;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.time.Scheduler;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EXTENSION C (control-plane.md §3.11): probes every running deployment member's agent each 5 s (by the injected
 * clock) and keeps a verdict in memory: unhealthy at each launch, healthy after one success, unhealthy again after
 * three consecutive failures. Members without a transport count as healthy (base readiness).
 */
public final class HealthMonitor implements ReadinessProbe, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    public static final Duration PERIOD = Duration.ofSeconds(5);
    static final int FAILURES_TO_UNHEALTHY = 3;
    private static final String ROUND = "round";

    private final Store store;
    private final VmService vms;
    private final AgentProbe probe;
    private final Clock clock;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Scheduler scheduler;

    private record Verdict(long pid, boolean healthy, int failures, boolean probed, boolean wasHealthy) {}

    public HealthMonitor(Store store, VmService vms, AgentProbe probe, Clock clock) {
        this.store = store;
        this.vms = vms;
        this.probe = probe;
        this.clock = clock;
    }

    /** Starts the rounds: the first one {@link #PERIOD} from now by the injected clock. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = new Scheduler(clock, "agent-health");
        scheduler.after(ROUND, PERIOD, this::round);
    }

    /** One round, then the next one {@link #PERIOD} after this one began (rounds never overlap). */
    private void round() {
        Instant started = clock.instant();
        try {
            probeAll();
        } catch (RuntimeException e) {
            log.warn("agent health round failed error={}", e.toString());
        }
        synchronized (this) {
            if (scheduler != null) {
                scheduler.at(ROUND, started.plus(PERIOD), this::round);
            }
        }
    }

    /** One probing round over every running member with a live instance, the probes in parallel; blocks until done. */
    public void probeAll() {
        Set<String> seen = new HashSet<>();
        List<VmRow> due = new ArrayList<>();
        for (VmRow r : store.read(tx -> tx.vms().listByStatus("running"))) {
            if (r.groupId() != null && r.pid() != null && vms.isLive(r.name())) {
                seen.add(r.name());
                due.add(r);
            }
        }
        // Each probe waits up to its 2 s timeout: one slow agent must not delay the others' verdicts.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (VmRow r : due) {
                pool.execute(() -> probeOne(r));
            }
        }
        verdicts.keySet().retainAll(seen);
    }

    private void probeOne(VmRow r) {
        Optional<AgentProbe.Result> res;
        try {
            res = probe.probe(r.name());
        } catch (RuntimeException e) {
            res = Optional.of(new AgentProbe.Result(0, null));
        }
        Optional<AgentProbe.Result> result = res;
        boolean before = healthy(r.name(), r.pid());
        // compute: rounds may overlap (the loop and a caller), each update applies to the latest verdict
        verdicts.compute(r.name(), (k, old) -> next(old == null || old.pid() != r.pid()
                ? new Verdict(r.pid(), false, 0, false, false) : old, r.pid(), result)); // each launch starts unhealthy
        if (healthy(r.name(), r.pid()) != before) {
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private static Verdict next(Verdict v, long pid, Optional<AgentProbe.Result> res) {
        if (res.isEmpty()) {
            return new Verdict(pid, true, 0, false, false); // no transport: base readiness
        }
        if (res.get().healthy()) {
            return new Verdict(pid, true, 0, true, true);
        }
        int f = v.failures() + 1;
        return new Verdict(pid, v.healthy() && f < FAILURES_TO_UNHEALTHY, f, true, v.wasHealthy());
    }

    /**
     * The verdict of the VM's current launch: a verdict is kept per pid, so a relaunched member (self-healing,
     * restart) counts as unhealthy until its own first probe instead of inheriting its predecessor's verdict.
     */
    @Override
    public boolean healthy(String vmName) {
        Verdict v = verdicts.get(vmName);
        if (v == null || !v.healthy()) {
            return false;
        }
        return store.read(tx -> tx.vms().getByName(vmName)).map(r -> r.pid() != null && r.pid() == v.pid())
                .orElse(false);
    }

    @Override
    public boolean healthy(String vmName, Long pid) {
        Verdict v = verdicts.get(vmName);
        return v != null && v.healthy() && pid != null && v.pid() == pid;
    }

    @Override
    public boolean failing(String vmName) {
        Verdict v = verdicts.get(vmName);
        return v != null && v.wasHealthy() && !v.healthy();
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
    }
}
