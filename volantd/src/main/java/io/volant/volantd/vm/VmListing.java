package io.volant.volantd.vm;

import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** {@code GET /api/v1/vms}: one query (plus one for the plugin filter), filtered and sorted in memory. */
final class VmListing {
    private VmListing() {}

    static Page<Vm> list(Store store, VmQuery q, Function<VmRow, Vm> toVm) {
        if (q.offset() < 0) {
            throw new InvalidArgumentException("invalid offset");
        }
        if (q.limit() != null && q.limit() < 0) {
            throw new InvalidArgumentException("invalid limit");
        }
        boolean byPlugin = !q.plugin().isBlank();
        List<VmRow> rows = store.vmRows();
        Map<Long, String> plugins = byPlugin ? store.read(tx -> tx.configs().pluginNames()) : Map.of();
        String runtime = q.runtime().trim().toLowerCase(Locale.ROOT);
        String plugin = q.plugin().trim().toLowerCase(Locale.ROOT);
        String needle = q.q().trim().toLowerCase(Locale.ROOT);
        List<VmRow> kept = new ArrayList<>();
        for (VmRow r : rows) {
            if (!q.statuses().isEmpty() && !q.statuses().contains(r.status().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!runtime.isEmpty() && !r.runtime().toLowerCase(Locale.ROOT).equals(runtime)) {
                continue;
            }
            if (byPlugin) {
                String p = plugins.get(r.id());
                if (p == null || !p.toLowerCase(Locale.ROOT).equals(plugin)) {
                    continue;
                }
            }
            if (!needle.isEmpty() && !(r.name().toLowerCase(Locale.ROOT).contains(needle)
                    || (r.ipAddress() != null && r.ipAddress().toLowerCase(Locale.ROOT).contains(needle))
                    || r.runtime().toLowerCase(Locale.ROOT).contains(needle))) {
                continue;
            }
            kept.add(r);
        }
        Comparator<VmRow> tie = Comparator.comparing(VmRow::name).thenComparingLong(VmRow::id);
        Comparator<VmRow> key = switch (q.sort().trim().toLowerCase(Locale.ROOT)) {
            case "name" -> Comparator.comparing((VmRow r) -> r.name().toLowerCase(Locale.ROOT));
            case "status" -> Comparator.comparing(VmRow::status);
            case "runtime" -> Comparator.comparing((VmRow r) -> r.runtime().toLowerCase(Locale.ROOT));
            case "updated_at" -> Comparator.comparing(VmRow::updatedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));
            default -> Comparator.comparing(VmRow::createdAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                    .thenComparingLong(VmRow::id);
        };
        Comparator<VmRow> order = key.thenComparing(tie);
        kept.sort(q.descending() ? order.reversed() : order);
        int total = kept.size();
        int from = Math.min(q.offset(), total);
        int to = q.limit() == null ? total : (int) Math.min((long) from + q.limit(), total);
        List<Vm> page = new ArrayList<>(to - from);
        for (VmRow r : kept.subList(from, to)) {
            page.add(toVm.apply(r));
        }
        return new Page<>(page, total);
    }
}
