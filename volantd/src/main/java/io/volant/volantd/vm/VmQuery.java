package io.volant.volantd.vm;

import java.util.Set;

/**
 * Filter, sort and page of {@code GET /api/v1/vms} (api-and-cli.md §2.3.1).
 *
 * @param statuses lower-case statuses to keep; empty = all
 * @param runtime case-insensitive equality; "" = any
 * @param plugin case-insensitive equality with the config's plugin (or manifest name); "" = any
 * @param q case-insensitive substring of name, ip or runtime; "" = any
 * @param sort {@code name}, {@code status}, {@code runtime}, {@code updated_at}, {@code created_at} (default)
 * @param descending reverse the complete order
 * @param limit null = unlimited
 * @param offset &ge; 0
 */
public record VmQuery(Set<String> statuses, String runtime, String plugin, String q, String sort, boolean descending,
                      Integer limit, int offset) {
    public VmQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        runtime = runtime == null ? "" : runtime;
        plugin = plugin == null ? "" : plugin;
        q = q == null ? "" : q;
        sort = sort == null ? "" : sort;
    }

    public static VmQuery all() {
        return new VmQuery(Set.of(), "", "", "", "", false, null, 0);
    }
}
