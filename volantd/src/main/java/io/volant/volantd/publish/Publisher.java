package io.volant.volantd.publish;

import io.volant.volantd.deployment.ReadinessProbe;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Subscription;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.network.PortForwarding;
import io.volant.volantd.network.PortForwarding.Forward;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.time.Scheduler;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in port publisher (docs/publishing.md): a level-triggered reconciler that reads every owner's
 * {@code expose} rules and ready VMs from the database and the engine, computes a {@link PublishPlan} and, when its
 * forwards differ from what is installed, replaces volantd's NAT table in one transaction. It runs once at start
 * (rebuilding the table whatever a crashed predecessor left), then when something it reads may have changed: a VM
 * event (created, running, stopped, crashed, suspended, deleted), an agent-health verdict that changed, a deployment
 * pass, {@link #trigger()}; and every {@link #RESYNC} of the injected clock whatever happened (a failed transaction
 * leaves the old table and is retried then, or on the next wake). {@link #close()} removes the table.
 * With driftd configured it computes the plan (shown by the API) but never touches the kernel. Thread-safe.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    /** The slow resync: a pass at least this often, whether or not anything woke the publisher. */
    public static final Duration RESYNC = Duration.ofSeconds(30);
    /** How long {@link #halt()} waits for a pass in progress. */
    private static final Duration JOIN = Duration.ofSeconds(5);
    private static final Set<EventType> MOVES = EnumSet.of(EventType.VM_CREATED, EventType.VM_RUNNING,
            EventType.VM_STOPPED, EventType.VM_CRASHED, EventType.VM_SUSPENDED, EventType.VM_DELETED);

    private final Store store;
    private final VmService vms;
    private final ReadinessProbe readiness;
    private final PortForwarding forwarding;
    private final boolean viaDrift;
    private final EventBus bus;
    private final Clock clock;
    private final Map<Long, Rules> vmRules = new ConcurrentHashMap<>();
    private final Map<Long, Rules> groupRules = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile PublishPlan plan = PublishPlan.empty();
    private volatile boolean running;
    private volatile boolean stopped;
    private Thread thread;
    private Thread listener;
    private Subscription events;
    private Scheduler scheduler;
    private List<Forward> installed;
    private String lastError = "";

    /** A decoded {@code expose} list and the stored text it came from (decoding the config each pass is waste). */
    private record Rules(String source, List<VmConfig.Expose> rules) {}

    /**
     * @param viaDrift driftd publishes ({@code VOLANT_DRIFT_ENDPOINT} set): the kernel NAT is left alone
     * @param bus      the VM events that wake the publisher
     * @param clock    the clock of the resync
     */
    public Publisher(Store store, VmService vms, ReadinessProbe readiness, PortForwarding forwarding,
                     boolean viaDrift, EventBus bus, Clock clock) {
        this.bus = bus;
        this.clock = clock;
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
        events = bus.subscribe(Topics.VM_EVENTS, EventBus.DEFAULT_CAPACITY); // before the pass: no change slips between
        reconcile();
        readiness.onChange(this::trigger);
        scheduler = new Scheduler(clock, "port-publisher-resync");
        scheduleResync();
        thread = Thread.ofPlatform().daemon().name("port-publisher").start(this::loop);
        listener = Thread.ofVirtual().name("port-publisher-events").start(this::listen);
    }

    private void scheduleResync() {
        scheduler.after("resync", RESYNC, () -> {
            if (running) {
                trigger();
                scheduleResync();
            }
        });
    }

    /** Waits for a wake (no timeout: the resync is a wake too), then one pass for every wake that came meanwhile. */
    private void loop() {
        while (running) {
            try {
                wake.acquire();
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                reconcile();
            }
        }
    }

    /** Turns VM events into wakes; a subscription that overflowed is replaced and costs one pass (level-triggered). */
    private void listen() {
        Subscription sub = events;
        try {
            while (running) {
                VmEvent e = sub.poll(RESYNC); // blocks until an event; the timeout only re-checks running
                if (e != null && MOVES.contains(e.type())) {
                    trigger();
                }
                if (sub.overflowed()) {
                    sub.close();
                    sub = bus.subscribe(Topics.VM_EVENTS, EventBus.DEFAULT_CAPACITY);
                    trigger();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sub.close();
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
        Thread l;
        synchronized (this) {
            running = false;
            stopped = true;
            t = thread;
            l = listener;
            if (scheduler != null) {
                scheduler.close();
            }
        }
        for (Thread x : new Thread[] {l, t}) {
            if (x != null) {
                x.interrupt();
                try {
                    x.join(JOIN.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
