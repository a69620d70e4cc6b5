package io.volant.volantd.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.manifest.NetworkConfig;
import io.volant.volantd.hypervisor.KernelCommandLine;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.store.ConfigRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored VM configs (control-plane.md §4.5-§4.9): read (normalize only, never re-validate), patch (validate,
 * new version, VM row columns), history. Callers hold the VM's lock for writes.
 */
final class VmConfigOps {
    private final Store store;
    private final VolantdConfig cfg;

    VmConfigOps(Store store, VolantdConfig cfg) {
        this.store = store;
        this.cfg = cfg;
    }

    /** 404 {@code orchestrator: configuration for vm <name> not found}; 500 when undecodable. */
    VersionedConfig current(VmRow row) {
        ConfigRow c = store.read(tx -> tx.configs().get(row.id()))
                .orElseThrow(() -> new NotFoundException("orchestrator: configuration for vm " + row.name() + " not found"));
        return new VersionedConfig(c.version(), c.updatedAt(), decode(row.name(), c.configJson()));
    }

    VmConfig currentOrNull(VmRow row) {
        return store.read(tx -> tx.configs().get(row.id())).map(VmConfigOps::decodeQuietly).orElse(null);
    }

    VersionedConfig patch(VmRow row, JsonNode patch) {
        VmConfig cur = current(row).config();
        return store(row, cur, VmConfigs.normalize(VmConfigPatcher.apply(cur, patch)));
    }

    /** PUT: the body is the whole new config; {@code plugin} may be left out but not changed. */
    VersionedConfig replace(VmRow row, JsonNode body) {
        VmConfig cur = current(row).config();
        if (body == null || !body.isObject()) {
            throw new InvalidArgumentException("invalid JSON body: config must be an object");
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) body).deepCopy();
        String plugin = copy.path("plugin").asText("").trim();
        if (!plugin.isEmpty() && !plugin.equalsIgnoreCase(cur.plugin())) {
            throw new InvalidArgumentException("plugin cannot be changed (vm " + row.name() + " runs plugin "
                    + cur.plugin() + ")");
        }
        copy.put("plugin", cur.plugin());
        return store(row, cur, VmConfigs.normalize(VmConfigCodec.fromJson(copy)));
    }

    private VersionedConfig store(VmRow row, VmConfig cur, VmConfig next) {
        VmConfigs.validate(next);
        Bounds.resources(next, cfg.limits());
        NetworkConfig oldNet = VmConfigs.effectiveNetwork(cur.network(), cur.manifest());
        NetworkConfig newNet = VmConfigs.effectiveNetwork(next.network(), next.manifest());
        if (VmConfigs.needsIp(oldNet) != VmConfigs.needsIp(newNet)) {
            throw new ConflictException("vmconfig: network mode change from " + modeName(oldNet) + " to "
                    + modeName(newNet) + " requires recreating the vm");
        }
        String json = VmConfigCodec.toJsonString(next);
        String cmdline = KernelCommandLine.stored(VmConfigs.mode(newNet), row.ipAddress(), cfg.hostIp(), cfg.netmask(),
                row.name(), next.kernelCmdline());
        store.write(tx -> {
            tx.vms().updateSpec(row.id(), next.runtime(), next.resources().cpuCores(), next.resources().memoryMb(), cmdline);
            tx.configs().upsert(row.id(), json);
            return null;
        });
        return current(row);
    }

    List<ConfigHistoryEntry> history(VmRow row, int limit) {
        if (limit < 0) {
            throw new InvalidArgumentException("invalid limit");
        }
        List<ConfigHistoryEntry> out = new ArrayList<>();
        for (ConfigRow c : store.read(tx -> tx.configs().history(row.id(), limit))) {
            out.add(new ConfigHistoryEntry(c.id(), c.version(), c.updatedAt(), decode(row.name(), c.configJson())));
        }
        return out;
    }

    static VmConfig decode(String name, String json) {
        try {
            return VmConfigs.normalize(VmConfigCodec.fromJsonString(json));
        } catch (RuntimeException e) {
            throw new InternalException("orchestrator: decode configuration for vm " + name + ": " + e.getMessage(), e);
        }
    }

    static VmConfig decodeQuietly(ConfigRow c) {
        try {
            return VmConfigs.normalize(VmConfigCodec.fromJsonString(c.configJson()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String modeName(NetworkConfig n) {
        String m = VmConfigs.mode(n);
        return m.isEmpty() ? "bridged" : m;
    }
}
