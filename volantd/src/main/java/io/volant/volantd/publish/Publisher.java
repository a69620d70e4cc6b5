package io.volant.volantd.publish;

import io.volant.volantd.deployment.ReadinessProbe;
import io.volant.volantd.network.PortForwarding;
import io.volant.volantd.network.PortForwarding.Forward;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in port publisher (docs/publishing.md): a level-triggered reconciler that reads every owner's
 * {@code expose} rules and ready VMs from the database and the engine, computes a {@link PublishPlan} and, when its
 * forwards differ from what is installed, replaces volantd's NAT table in one transaction. It runs once at start
 * (rebuilding the table whatever a crashed predecessor left), every {@link #TICK} and on {@link #trigger()}; a
 * failed transaction leaves the old table and is retried on the next pass. {@link #close()} removes the table.
 * With driftd configured it computes the plan (shown by the API) but never touches the kernel. Thread-safe.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    /** Reconcile period: a member that leaves the ready set stops receiving connections within it. */
    public static final Duration TICK = Duration.ofSeconds(1);

    private final Store store;
    private final VmService vms;
    private final ReadinessProbe readiness;
    private final PortForwarding forwarding;
    private final boolean viaDrift;
    private final Map<Long, Rules> vmRules = new ConcurrentHashMap<>();
    private final Map<Long, Rules> groupRules = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile PublishPlan plan = PublishPlan.empty();
    private volatile boolean running;
    private volatile boolean stopped;
    private Thread thread;
    private List<Forward> installed;
    private String lastError = "";

    /** A decoded {@code expose} list and the stored text it came from (decoding the config each pass is waste). */
    private record Rules(String source, List<VmConfig.Expose> rules) {}

    /** @param viaDrift driftd publishes ({@code VOLANT_DRIFT_ENDPOINT} set): the kernel NAT is left alone */
    public Publisher(Store store, VmService vms, ReadinessProbe readiness, PortForwarding forwarding,
                     boolean viaDrift) {
        this.store = store;
        this.vms = vms;
        this.readiness = readiness;
        this.forwarding = forwarding;
        this.viaDrift = viaDrift;
    }

    /** True when driftd, not the kernel NAT, publishes ports. */
    public boolean viaDrift() {
        return viaDrift;
    }

    /** Rebuilds the table from the database (after VM recovery), then keeps it converged. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        reconcile();
        thread = Thread.ofPlatform().daemon().name("port-publisher").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(TICK.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                reconcile();
            }
        }
    }

    /** Asks for a pass now (an expose change, a VM event); returns at once. */
    public void trigger() {
        wake.release();
    }

    /**
     * One pass: read, plan, and replace the table when the forwards changed (or nothing is known to be installed:
     * the first pass, or after a failure). Never throws; failures are logged once per distinct message.
     */
    public synchronized PublishPlan reconcile() {
        if (stopped) {
            return plan; // after close() nothing may re-create the table
        }
        PublishPlan next;
        try {
            next = PublishPlan.of(owners(), viaDrift);
        } catch (RuntimeException e) {
            logFailure("read", e);
            return plan;
        }
        plan = next;
        if (viaDrift) {
            return next;
        }
        List<Forward> wanted = next.forwards();
        if (wanted.equals(installed)) {
            return next;
        }
        try {
            forwarding.replace(wanted);
            logChanges(installed == null ? List.of() : installed, wanted);
            installed = wanted;
            lastError = "";
        } catch (RuntimeException e) {
            installed = null; // unknown: the next pass re-applies the whole set
            logFailure("apply", e);
        }
        return next;
    }

    /** The plan of the last pass. */
    public PublishPlan plan() {
        return plan;
    }

    /** The process bound to {@code <protocol>/<port>} on the host, if any (never asked with driftd). */
    public Optional<String> listener(String protocol, int port) {
        return viaDrift ? Optional.empty() : forwarding.listener(protocol, port);
    }

    /** Every owner with at least one rule, with its ready VMs. */
    private List<PublishPlan.Owner> owners() {
        List<VmRow> rows = store.vmRows();
        List<GroupRow> groups = store.read(tx -> tx.groups().list());
        Map<Long, String> exposeJson = store.read(tx -> tx.configs().exposeJson());
        Map<Long, List<Publication.Backend>> ready = new HashMap<>();
        List<PublishPlan.Owner> out = new ArrayList<>();
        List<Long> seenVms = new ArrayList<>();
        for (VmRow r : rows) {
            boolean up = r.status().equals("running") && r.ipAddress() != null && vms.isLive(r.name());
            if (r.groupId() != null) {
                if (up && readiness.healthy(r.name())) {
                    ready.computeIfAbsent(r.groupId(), k -> new ArrayList<>())
                            .add(new Publication.Backend(r.name(), r.ipAddress()));
                }
                continue;
            }
            seenVms.add(r.id());
            String json = exposeJson.get(r.id());
            List<VmConfig.Expose> rules = json == null ? List.of() : cached(vmRules, r.id(), "{\"expose\":" + json + "}");
            if (!rules.isEmpty()) {
                out.add(new PublishPlan.Owner("vm", r.name(), r.createdAt(), rules,
                        up ? List.of(new Publication.Backend(r.name(), r.ipAddress())) : List.of()));
            }
        }
        vmRules.keySet().retainAll(seenVms);
        groupRules.keySet().retainAll(groups.stream().map(GroupRow::id).toList());
        for (GroupRow g : groups) {
            List<VmConfig.Expose> rules = cached(groupRules, g.id(), g.configJson());
            if (!rules.isEmpty()) {
                List<Publication.Backend> members = new ArrayList<>(ready.getOrDefault(g.id(), List.of()));
                members.sort(Comparator.comparingInt((Publication.Backend b) -> b.vm().length())
                        .thenComparing(Publication.Backend::vm)); // web-2 before web-10
                out.add(new PublishPlan.Owner("deployment", g.name(), g.createdAt(), rules, members));
            }
        }
        return out;
    }

    private static List<VmConfig.Expose> cached(Map<Long, Rules> cache, long id, String json) {
        Rules r = cache.get(id);
        if (r == null || !r.source().equals(json)) {
            r = new Rules(json, VmConfigCodec.fromJsonString(json).expose());
            cache.put(id, r);
        }
        return r.rules();
    }

    private void logChanges(List<Forward> before, List<Forward> after) {
        Map<String, Forward> old = new HashMap<>();
        before.forEach(f -> old.put(f.key(), f));
        for (Forward f : after) {
            Forward o = old.remove(f.key());
            if (!f.equals(o)) {
                log.info("published port updated port={} owner=\"{}\" port_in_vm={} backends={}", f.key(), f.owner(),
                        f.port(), f.backends());
            }
        }
        old.values().forEach(f -> log.info("published port withdrawn port={} owner=\"{}\"", f.key(), f.owner()));
    }

    private void logFailure(String step, RuntimeException e) {
        String msg = String.valueOf(e.getMessage());
        if (!msg.equals(lastError)) {
            log.warn("port publishing failed step={} error={}", step, msg);
            lastError = msg;
        }
    }

    /** Stops the loop and removes the table (no published port outlives volantd). */
    @Override
    public void close() {
        halt();
        if (!viaDrift) {
            forwarding.remove();
            log.info("published ports removed");
        }
    }

    /** Stops the loop and leaves the table as it is (a crash; the next start rebuilds it). */
    public void halt() {
        Thread t;
        synchronized (this) {
            running = false;
            stopped = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TICK.toMillis() * 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
