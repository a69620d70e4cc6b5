package io.volant.volantd.template;

import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.hypervisor.template.Templating;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.TemplateRow;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping half of {@link TemplateManager}: template rows in the store and their files on the backend kept in
 * step (startup recovery, orphan files, garbage collection, removal), the per-key locks, the users of a template and
 * the template events. Everything done to one template key runs under {@link #lock}.
 */
final class TemplateCatalog {
    // The manager's logger: template logs keep one name, whichever half writes them.
    private static final Logger log = LoggerFactory.getLogger(TemplateManager.class);

    private final Store store;
    private final Templating templating;
    private final EventBus bus;
    private final Clock clock;
    private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();

    /** @param templating the backend's template support, null when it has none */
    TemplateCatalog(Store store, Templating templating, EventBus bus, Clock clock) {
        this.store = store;
        this.templating = templating;
        this.bus = bus;
        this.clock = clock;
    }

    /** The monitor that serializes everything done to the template of {@code key}. */
    Object lock(String key) {
        return keyLocks.computeIfAbsent(key, k -> new Object());
    }

    void addUser(String name, long groupId, Integer revision) {
        store.write(tx -> {
            tx.templates().addUser(name, groupId, revision == null ? 0 : revision);
            return null;
        });
    }

    /**
     * Startup (also after SIGKILL): a template caught in {@code creating} is abandoned (its process killed, its
     * files removed), a ready one whose files are gone is dropped, files no row names are removed; then garbage
     * collection. Failures are logged.
     */
    void recover() {
        if (templating == null) {
            return;
        }
        List<TemplateRow> rows = store.read(tx -> tx.templates().list());
        java.util.Set<String> kept = new java.util.HashSet<>();
        for (TemplateRow r : rows) {
            Optional<TemplateImage> image = r.status().equals(TemplateRow.READY) ? TemplateImages.decode(r) : Optional.empty();
            if (image.isPresent() && image.get().intact()) {
                kept.add(r.name());
                log.info("template adopted template={}", r.name());
                continue;
            }
            log.warn("template removed at startup template={} status={} reason={}", r.name(), r.status(),
                    r.status().equals(TemplateRow.READY) ? "files missing" : "volantd stopped while creating it");
            templating.abandon(r.name());
            store.write(tx -> {
                tx.templates().delete(r.name());
                return null;
            });
            publish(EventType.TEMPLATE_DELETED, r.name(), "deleted", null, "removed at startup");
        }
        removeOrphanFiles(kept);
        collectGarbage();
    }

    private void removeOrphanFiles(java.util.Set<String> kept) {
        java.nio.file.Path dir = templating.directory();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("tpl-") && f.contains("."))
                    .map(f -> f.substring(0, f.indexOf('.'))).distinct().filter(n -> !kept.contains(n))
                    .forEach(n -> {
                        log.warn("orphan template files removed template={}", n);
                        templating.abandon(n);
                    });
        } catch (java.io.IOException e) {
            log.warn("template directory scan failed dir={} error={}", dir, e.getMessage());
        }
    }

    /**
     * Deletes every ready template that no deployment with replicas uses at its current revision. Idempotent;
     * returns how many were deleted.
     */
    int collectGarbage() {
        if (templating == null) {
            return 0;
        }
        int n = 0;
        for (TemplateRow r : store.read(tx -> tx.templates().list())) {
            synchronized (lock(r.key())) {
                if (store.read(tx -> tx.templates().unused()).contains(r.name())) {
                    remove(r.key(), r.name(), "no deployment revision uses it");
                    n++;
                }
            }
        }
        return n;
    }

    void remove(String key, String name, String why) {
        store.read(tx -> tx.templates().getByKey(key)).flatMap(TemplateImages::decode)
                .ifPresentOrElse(templating::discard, () -> templating.abandon(name));
        store.write(tx -> {
            tx.templates().delete(name);
            return null;
        });
        log.info("template deleted template={} reason=\"{}\"", name, why);
        publish(EventType.TEMPLATE_DELETED, name, "deleted", null, "template deleted: " + why);
    }

    /** Count and sizes of the ready templates. */
    TemplateManager.Stats stats() {
        int count = 0;
        long mem = 0;
        long disk = 0;
        for (TemplateRow r : store.read(tx -> tx.templates().list())) {
            Optional<TemplateImage> i = r.status().equals(TemplateRow.READY) ? TemplateImages.decode(r) : Optional.empty();
            if (i.isPresent()) {
                count++;
                mem += i.get().ramBytes();
                disk += i.get().diskBytes();
            }
        }
        return new TemplateManager.Stats(count, mem, disk);
    }

    void publish(EventType type, String name, String status, Long pid, String message) {
        bus.publish(Topics.VM_EVENTS, VmEvent.lifecycle(type, name, status, null, null, pid, clock.instant(), message));
    }
}
