package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code plugins} table. */
public final class PluginRepository {
    private static final String COLS = "id, name, version, enabled, metadata, installed_at, updated_at";
    private final Conn c;

    PluginRepository(Conn c) {
        this.c = c;
    }

    /** Insert, or on a name conflict replace version, enabled and metadata (absent metadata stored as ""). */
    public void upsert(String name, String version, boolean enabled, String metadata) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT INTO plugins (name, version, enabled, metadata, installed_at, updated_at) "
                + "VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) ON CONFLICT(name) DO UPDATE SET "
                + "version = excluded.version, enabled = excluded.enabled, metadata = excluded.metadata, "
                + "updated_at = CURRENT_TIMESTAMP");
        ps.setString(1, name);
        ps.setString(2, version);
        ps.setInt(3, enabled ? 1 : 0);
        ps.setString(4, metadata == null ? "" : metadata);
        ps.executeUpdate();
    }

    public List<PluginRow> list() throws SQLException {
        List<PluginRow> out = new ArrayList<>();
        try (ResultSet rs = c.prepare("SELECT " + COLS + " FROM plugins ORDER BY name").executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    public Optional<PluginRow> getByName(String name) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM plugins WHERE name = ?");
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    /** False when no row has that name. */
    public boolean setEnabled(String name, boolean enabled) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE plugins SET enabled = ?, updated_at = CURRENT_TIMESTAMP WHERE name = ?");
        ps.setInt(1, enabled ? 1 : 0);
        ps.setString(2, name);
        return ps.executeUpdate() > 0;
    }

    /** False when no row has that name. */
    public boolean delete(String name) throws SQLException {
        PreparedStatement ps = c.prepare("DELETE FROM plugins WHERE name = ?");
        ps.setString(1, name);
        return ps.executeUpdate() > 0;
    }

    private static PluginRow map(ResultSet rs) throws SQLException {
        return new PluginRow(rs.getLong("id"), rs.getString("name"), rs.getString("version"), rs.getInt("enabled") != 0,
                Rows.text(rs, "metadata"), Rows.time(rs, "installed_at"), Rows.time(rs, "updated_at"));
    }
}
