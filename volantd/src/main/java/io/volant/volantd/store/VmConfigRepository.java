package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vm_configs} with its append-only {@code vm_config_history} (control-plane.md §4.6): one aggregate, written
 * together in the caller's transaction.
 */
public final class VmConfigRepository {
    private final Conn c;

    VmConfigRepository(Conn c) {
        this.c = c;
    }

    public Optional<ConfigRow> get(long vmId) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT vm_id, version, config_json, updated_at FROM vm_configs WHERE vm_id = ?");
        ps.setLong(1, vmId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new ConfigRow(0, rs.getLong("vm_id"), rs.getInt("version"), rs.getString("config_json"),
                    Rows.time(rs, "updated_at")));
        }
    }

    public boolean exists(long vmId) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT 1 FROM vm_configs WHERE vm_id = ?");
        ps.setLong(1, vmId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Writes the next version (current + 1, or 1) and appends it to the history; returns the version. */
    public int upsert(long vmId, String configJson) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT INTO vm_configs (vm_id, config_json, version, updated_at) "
                + "VALUES (?, ?, 1, CURRENT_TIMESTAMP) ON CONFLICT(vm_id) DO UPDATE SET config_json = excluded.config_json, "
                + "version = vm_configs.version + 1, updated_at = CURRENT_TIMESTAMP RETURNING version");
        ps.setLong(1, vmId);
        ps.setString(2, configJson);
        int version;
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            version = rs.getInt(1);
        }
        PreparedStatement h = c.prepare("INSERT INTO vm_config_history (vm_id, version, config_json, updated_at) "
                + "VALUES (?, ?, ?, CURRENT_TIMESTAMP)");
        h.setLong(1, vmId);
        h.setInt(2, version);
        h.setString(3, configJson);
        h.executeUpdate();
        return version;
    }

    /** History newest first (version desc, then id desc); {@code limit} 0 = all. */
    public List<ConfigRow> history(long vmId, int limit) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT id, vm_id, version, config_json, updated_at FROM vm_config_history "
                + "WHERE vm_id = ? ORDER BY version DESC, id DESC LIMIT ?");
        ps.setLong(1, vmId);
        ps.setInt(2, limit > 0 ? limit : -1);
        List<ConfigRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ConfigRow(rs.getLong("id"), rs.getLong("vm_id"), rs.getInt("version"),
                        rs.getString("config_json"), Rows.time(rs, "updated_at")));
            }
        }
        return out;
    }

    /** vm id → the config's {@code plugin}, or its manifest's name when blank (the list filter of api §2.3.1). */
    public Map<Long, String> pluginNames() throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (ResultSet rs = c.prepare("SELECT vm_id, COALESCE(NULLIF(trim(json_extract(config_json, '$.plugin')), ''), "
                + "json_extract(config_json, '$.manifest.name'), '') FROM vm_configs WHERE json_valid(config_json)").executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    /**
     * vm id → the config's {@code expose} array as JSON text, for the VMs that have one (the port publisher reads it
     * every second: one query, without the rest of the configs).
     */
    public Map<Long, String> exposeJson() throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (ResultSet rs = c.prepare("SELECT vm_id, json_extract(config_json, '$.expose') FROM vm_configs "
                + "WHERE json_valid(config_json) AND json_type(config_json, '$.expose') = 'array'").executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }
}
