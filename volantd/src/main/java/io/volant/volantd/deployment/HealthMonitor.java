package io.volant.volantd.deployment;

import io.volant.volantd.agent.AgentProbe;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private final Store store;
    private final VmService vms;
    private final AgentProbe probe;
    private final Clock clock;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;
    private Instant next;

    private record Verdict(long pid, boolean healthy, int failures, boolean probed) {}

    public HealthMonitor(Store store, VmService vms, AgentProbe probe, Clock clock) {
        this.store = store;
        this.vms = vms;
        this.probe = probe;
        this.clock = clock;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        next = clock.instant().plus(PERIOD);
        thread = Thread.ofPlatform().daemon().name("agent-health").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(DeploymentController.TICK);
            } catch (InterruptedException e) {
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(next)) {
                continue;
            }
            next = now.plus(PERIOD);
            try {
                probeAll();
            } catch (RuntimeException e) {
                log.warn("agent health round failed error={}", e.toString());
            }
        }
    }

    /** One probing round over every running member with a live instance. */
    public synchronized void probeAll() {
        Set<String> seen = new HashSet<>();
        for (VmRow r : store.read(tx -> tx.vms().listByStatus("running"))) {
            if (r.groupId() == null || r.pid() == null || !vms.isLive(r.name())) {
                continue;
            }
            seen.add(r.name());
            Verdict v = verdicts.get(r.name());
            if (v == null || v.pid() != r.pid()) {
                v = new Verdict(r.pid(), false, 0, false); // each launch starts unhealthy
            }
            Optional<AgentProbe.Result> res;
            try {
                res = probe.probe(r.name());
            } catch (RuntimeException e) {
                res = Optional.of(new AgentProbe.Result(0, null));
            }
            if (res.isEmpty()) {
                verdicts.put(r.name(), new Verdict(r.pid(), true, 0, false));
                continue;
            }
            if (res.get().healthy()) {
                v = new Verdict(r.pid(), true, 0, true);
            } else {
                int f = v.failures() + 1;
                v = new Verdict(r.pid(), v.healthy() && f < FAILURES_TO_UNHEALTHY, f, true);
            }
            verdicts.put(r.name(), v);
        }
        verdicts.keySet().retainAll(seen);
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
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
