package io.volant.volantd;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/system/summary} (control-plane.md §8, Chosen): statuses after recovery, plugins sorted by name.
 */
public record SystemSummary(int totalVms, Map<String, Integer> byStatus, Map<String, Integer> byRuntime,
                            int totalPlugins, int enabledPlugins, List<PluginEntry> plugins) {

    public record PluginEntry(String name, String version, boolean enabled) {}
}
