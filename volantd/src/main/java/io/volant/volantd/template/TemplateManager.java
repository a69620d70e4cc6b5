package io.volant.volantd.template;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.volant.volantd.config.TemplateSettings;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Subscription;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.template.CloneException;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.hypervisor.template.Templates;
import io.volant.volantd.hypervisor.template.Templating;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.TemplateRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Templates and clones (docs/templates.md). {@link #launch} starts a deployment replica as a clone of the template
 * of its launch configuration; on first need it starts the template's capture in the background and boots the
 * replica cold, and replicas keep booting cold (WARN and a {@code TEMPLATE_FAILED} event) when the template cannot
 * be made; anything that cannot be cloned safely (cloud-init
 * seed, writable disks, VFIO) boots cold with the reason logged. Templates are rows in the store plus files on the
 * backend; {@link #recover} and {@link #collectGarbage} keep the two in step. Thread-safe: one template per key at
 * a time (a per-key lock), clones of a ready template run concurrently.
 */
public final class TemplateManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TemplateManager.class);

    private final Store store;
    private final Launcher launcher;
    private final Templating templating;
    private final EventBus bus;
    private final Clock clock;
    private final TemplateSettings settings;
    private final Timer cloneStart;
    private final TemplateCatalog catalog;
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    private final java.util.Set<String> capturing = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService captures =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("template-capture-", 0).factory());
    private volatile Thread housekeeper;
    private volatile boolean closed;

    /**
     * @param templating the backend's template support, null when it has none (every launch is a cold boot)
     */
    public TemplateManager(Store store, Launcher launcher, Templating templating, EventBus bus, Clock clock,
            TemplateSettings settings, MeterRegistry metrics) {
        this.store = store;
        this.launcher = launcher;
        this.templating = templating;
        this.bus = bus;
        this.clock = clock;
        this.settings = settings;
        this.catalog = new TemplateCatalog(store, templating, bus, clock);
        this.cloneStart = Timer.builder("volant.clone.start.duration")
                .description("Clone start: QEMU start to identity applied").publishPercentileHistogram()
                .register(metrics);
        Gauge.builder("volant.templates", this, m -> m.stats().count()).description("Ready templates")
                .register(metrics);
    }

    /**
     * One launch.
     *
     * @param groupId  the deployment of a replica, null for a standalone VM (always a cold boot)
     * @param revision the deployment revision the replica belongs to
     * @param allowed  false when the config opts out ({@code "template": false})
     */
    public record Launch(LaunchSpec spec, Long groupId, Integer revision, boolean allowed) {}

    /** Count and sizes of the ready templates, for {@code GET /api/v1/system/info}. */
    public record Stats(int count, long memoryBytes, long diskBytes) {}

    /**
     * Starts the VM of {@code l}: a clone when it may be one, else a cold boot. Blocking (a template boot on first
     * need takes a cold boot's time).
     *
     * @throws CloneException when the clone's identity step failed (the clone is gone; the caller replaces it)
     * @throws io.volant.volantd.hypervisor.HypervisorException when the launch failed
     */
    public Instance launch(Launch l) {
        return launch(l, io.volant.volantd.hypervisor.ProcessStarted.NONE);
    }

    /** {@link #launch(Launch)}; {@code started} hears the VM's pid (cold boot or clone) as soon as it exists. */
    public Instance launch(Launch l, io.volant.volantd.hypervisor.ProcessStarted started) {
        LaunchSpec spec = l.spec();
        Optional<String> cold = coldReason(l);
        if (cold.isPresent()) {
            if (l.groupId() != null) {
                log.info("replica boots cold vm={} reason=\"{}\"", spec.name(), cold.get());
            }
            return launcher.launch(spec, started);
        }
        TemplateKey key = TemplateKey.of(spec, templating.fingerprint() + " initramfs="
                + (spec.initramfs().startsWith("/") ? Templates.stamp(java.nio.file.Path.of(spec.initramfs())) : ""));
        Optional<TemplateImage> image = ensure(key, spec, l.groupId(), l.revision());
        if (image.isEmpty()) {
            return launcher.launch(spec, started);
        }
        long t0 = System.nanoTime();
        try {
            Instance i = templating.clone(image.get(), spec, settings.cloneTimeout(), started);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            cloneStart.record(Duration.ofMillis(ms));
            catalog.publish(EventType.CLONE_STARTED, spec.name(), "running", i.pid(),
                    "clone of " + image.get().name() + " started in " + ms + " ms");
            log.info("clone started vm={} template={} pid={} duration_ms={}", spec.name(), image.get().name(), i.pid(), ms);
            return i;
        } catch (CloneException e) {
            catalog.publish(EventType.CLONE_FAILED, spec.name(), "stopped", null, e.getMessage());
            log.warn("clone failed vm={} template={} error={}", spec.name(), image.get().name(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // The template may be broken (state rejected, files gone): drop it so that the retry makes a fresh one
            // (booting cold meanwhile). The launch still fails: the controller records the error and retries with its
            // backoff, as for any failed launch, instead of hiding the failure behind an immediate cold boot.
            catalog.publish(EventType.CLONE_FAILED, spec.name(), "stopped", null, e.getMessage());
            log.warn("clone restore failed, template dropped vm={} template={} error={}", spec.name(),
                    image.get().name(), e.getMessage());
            catalog.remove(key.hex(), image.get().name(), "its clone could not be restored: " + e.getMessage());
            throw e;
        }
    }

    /** Why the launch cannot be a clone, or empty when it can. */
    Optional<String> coldReason(Launch l) {
        return Eligibility.coldReason(l, settings.enabled(), templating, launcher.backend());
    }

    /**
     * The ready template of {@code key}, recording the deployment revision as a user of it. When there is none, its
     * capture starts in the background (a template boot is a cold boot's time: a reconcile pass must not wait for
     * it) and this replica boots cold, as do replicas within the retry window after a failed capture.
     */
    private Optional<TemplateImage> ensure(TemplateKey key, LaunchSpec spec, long groupId, Integer revision) {
        synchronized (catalog.lock(key.hex())) {
            Optional<TemplateRow> row = store.read(tx -> tx.templates().getByKey(key.hex()));
            if (row.isPresent() && row.get().status().equals(TemplateRow.READY)) {
                Optional<TemplateImage> image = TemplateImages.decode(row.get());
                if (image.isPresent() && image.get().intact()) {
                    catalog.addUser(image.get().name(), groupId, revision);
                    return image;
                }
                catalog.remove(key.hex(), row.get().name(), "its files are gone");
            }
            String name = key.templateName();
            if (capturing.contains(key.hex())) {
                catalog.addUser(name, groupId, revision);
                log.info("replica boots cold vm={} reason=\"template {} is being made\"", spec.name(), name);
                return Optional.empty();
            }
            List<String> siblings = store.read(tx -> tx.templates().usedBy(groupId, revision == null ? 0 : revision));
            if (!siblings.isEmpty() && !siblings.contains(name)) {
                // One member's own config (e.g. `vms scale --cpu 2`) differs from its revision's: not worth a template.
                log.info("replica boots cold vm={} reason=\"its config differs from its deployment revision's (template {})\"",
                        spec.name(), siblings.getFirst());
                return Optional.empty();
            }
            if (row.isPresent() && row.get().status().equals(TemplateRow.CREATING)) {
                templating.abandon(row.get().name()); // left by a crash, not by a capture of this process
            }
            Instant failed = failedAt.get(key.hex());
            if (failed != null && clock.instant().isBefore(failed.plus(settings.retryAfter()))) {
                log.warn("template failed recently, replica boots cold vm={} template={} retry_after={}", spec.name(),
                        key, failed.plus(settings.retryAfter()));
                return Optional.empty();
            }
            store.write(tx -> {
                tx.templates().insertCreating(name, key.hex(), launcher.backend());
                tx.templates().addUser(name, groupId, revision == null ? 0 : revision);
                return null;
            });
            capturing.add(key.hex());
            LaunchSpec tpl = templateSpec(name, spec, key);
            captures.submit(() -> capture(key, name, tpl, spec.name()));
            log.info("template capture started, replica boots cold template={} vm={}", name, spec.name());
            return Optional.empty();
        }
    }

    /** The background half of {@link #ensure}: boot, warm, save; on failure the key boots cold for a while. */
    private void capture(TemplateKey key, String name, LaunchSpec tpl, String forVm) {
        try {
            TemplateImage image;
            try {
                image = templating.capture(name, tpl, settings.bootTimeout());
            } catch (RuntimeException e) {
                store.write(tx -> {
                    tx.templates().delete(name);
                    return null;
                });
                failedAt.put(key.hex(), clock.instant());
                log.warn("template failed, replicas boot cold template={} vm={} retry_after_s={} error={}", name,
                        forVm, settings.retryAfter().toSeconds(), e.getMessage());
                catalog.publish(EventType.TEMPLATE_FAILED, name, "failed", null,
                        "template failed, replicas boot cold: " + e.getMessage());
                return;
            }
            synchronized (catalog.lock(key.hex())) {
                failedAt.remove(key.hex());
                String json = TemplateImages.encode(image);
                store.write(tx -> {
                    tx.templates().markReady(name, json);
                    return null;
                });
            }
            log.info("template created template={} memory_bytes={} disk_bytes={}", name, image.ramBytes(),
                    image.diskBytes());
            catalog.publish(EventType.TEMPLATE_CREATED, name, "ready", null, "template created for " + forVm
                    + ": memory " + image.ramBytes() + " bytes, disk " + image.diskBytes() + " bytes");
        } catch (RuntimeException e) {
            log.error("template capture bookkeeping failed template={} error={}", name, e.getMessage());
        } finally {
            capturing.remove(key.hex());
        }
    }

    /**
     * The template's own spec: the first replica's, with its per-VM values replaced (name, MAC, IP, the address
     * and hostname of {@code ip=}): the guest-visible part is what every clone will have.
     */
    private LaunchSpec templateSpec(String name, LaunchSpec s, TemplateKey key) {
        String mac = "52:54:00:" + key.hex().substring(0, 2) + ":" + key.hex().substring(2, 4) + ":"
                + key.hex().substring(4, 6);
        String serial = templating.directory().resolve(name + ".serial").toString();
        return s.toBuilder().name(name).kernelCmdline(TemplateKey.withoutIdentity(s.kernelCmdline())).macAddress(mac)
                .ipAddress("").serialSocket(serial).build();
    }

    /**
     * Startup (also after SIGKILL): a template caught in {@code creating} is abandoned (its process killed, its
     * files removed), a ready one whose files are gone is dropped, files no row names are removed; then garbage
     * collection. Failures are logged.
     */
    public void recover() {
        catalog.recover();
    }

    /**
     * Deletes every ready template that no deployment with replicas uses at its current revision. Idempotent;
     * returns how many were deleted.
     */
    public int collectGarbage() {
        return catalog.collectGarbage();
    }

    /** Count and sizes of the ready templates. */
    public Stats stats() {
        return catalog.stats();
    }

    /**
     * Garbage collection in the background: after every {@code VM_DELETED} event (a deployment scaled to zero or
     * deleted lets its template go) and every {@code period}. Catch-and-log: it never dies before {@link #close}.
     */
    public void startHousekeeping(Duration period) {
        if (templating == null) {
            return;
        }
        Subscription sub = bus.subscribe(Topics.VM_EVENTS, EventBus.DEFAULT_CAPACITY);
        housekeeper = Thread.ofVirtual().name("template-gc").start(() -> {
            try (sub) {
                Instant next = clock.instant().plus(period);
                while (!closed) {
                    VmEvent e = sub.poll(Duration.ofSeconds(1));
                    boolean deleted = e != null && e.type() == EventType.VM_DELETED;
                    if (deleted || sub.overflowed() || !clock.instant().isBefore(next)) {
                        try {
                            collectGarbage();
                        } catch (RuntimeException ex) {
                            log.warn("template garbage collection failed error={}", ex.getMessage());
                        }
                        next = clock.instant().plus(period);
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stops the background garbage collection; templates stay (the next start adopts them). */
    @Override
    public void close() {
        closed = true;
        captures.shutdownNow(); // an interrupted capture stops its QEMU and removes its files
        Thread t = housekeeper;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The backend's template support, empty when it has none. */
    public Optional<Templating> templating() {
        return Optional.ofNullable(templating);
    }
}
