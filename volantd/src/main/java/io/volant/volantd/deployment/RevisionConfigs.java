package io.volant.volantd.deployment;

import io.volant.volantd.store.GroupRow;
import io.volant.volantd.vm.ValidatedConfig;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmConfigs;
import io.volant.volantd.vm.VmService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stored config of each deployment's current revision, decoded and normalized once and validated once (the
 * checks of VM creation, {@link VmService#validate}), instead of on every pass and every replica creation. An entry
 * is keyed by the stored JSON, so a new revision (or an undo) is decoded afresh; a failed validation is remembered
 * too and rethrown to every replica creation of that revision.
 */
final class RevisionConfigs {
    private final VmService vms;
    private final Map<Long, Entry> byGroup = new ConcurrentHashMap<>();
    private final AtomicLong decodes = new AtomicLong();

    RevisionConfigs(VmService vms) {
        this.vms = vms;
    }

    private static final class Entry {
        final String json;
        final VmConfig template;
        private ValidatedConfig validated;
        private RuntimeException invalid;

        Entry(String json, VmConfig template) {
            this.json = json;
            this.template = template;
        }
    }

    /** The normalized template of {@code g}'s stored config. */
    VmConfig template(GroupRow g) {
        return entry(g).template;
    }

    /**
     * The template as replicas are created from it.
     *
     * @throws io.volant.volantd.errors.InvalidArgumentException the stored config fails a check (a row written under
     *         other limits or by an older version): every replica creation of the revision fails with it
     */
    ValidatedConfig validated(GroupRow g) {
        Entry e = entry(g);
        synchronized (e) {
            if (e.validated == null && e.invalid == null) {
                try {
                    e.validated = vms.validate(e.template);
                } catch (RuntimeException ex) {
                    e.invalid = ex;
                }
            }
            if (e.invalid != null) {
                throw e.invalid;
            }
            return e.validated;
        }
    }

    /** Drops a deleted deployment's entry. */
    void forget(long groupId) {
        byGroup.remove(groupId);
    }

    /** How many stored configs were decoded so far (once per deployment revision seen). */
    long decodes() {
        return decodes.get();
    }

    private Entry entry(GroupRow g) {
        Entry e = byGroup.get(g.id());
        if (e != null && e.json.equals(g.configJson())) {
            return e;
        }
        decodes.incrementAndGet();
        Entry fresh = new Entry(g.configJson(), VmConfigs.normalize(VmConfigCodec.fromJsonString(g.configJson())));
        byGroup.put(g.id(), fresh);
        return fresh;
    }
}
