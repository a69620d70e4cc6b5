package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code plugin_artifacts} table. */
public final class ArtifactRepository {
    private static final String COLS = "id, plugin_name, version, artifact_name, kind, source_url, checksum, format, "
            + "local_path, size_bytes, created_at, updated_at";
    private final Conn c;

    ArtifactRepository(Conn c) {
        this.c = c;
    }

    /** Insert, or for the same (plugin, version, name) replace the other fields and bump {@code updated_at}. */
    public ArtifactRow upsert(ArtifactRow a) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT INTO plugin_artifacts (plugin_name, version, artifact_name, kind, source_url, "
                + "checksum, format, local_path, size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT(plugin_name, version, artifact_name) DO UPDATE SET kind = excluded.kind, "
                + "source_url = excluded.source_url, checksum = excluded.checksum, format = excluded.format, "
                + "local_path = excluded.local_path, size_bytes = excluded.size_bytes, updated_at = CURRENT_TIMESTAMP "
                + "RETURNING " + COLS);
        ps.setString(1, a.pluginName());
        ps.setString(2, a.version());
        ps.setString(3, a.artifactName());
        ps.setString(4, a.kind());
        ps.setString(5, a.sourceUrl());
        ps.setString(6, a.checksum());
        ps.setString(7, a.format());
        ps.setString(8, a.localPath());
        ps.setLong(9, a.sizeBytes());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return map(rs);
        }
    }

    /** All versions of a plugin: version descending (text), then name. */
    public List<ArtifactRow> list(String plugin) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM plugin_artifacts WHERE plugin_name = ? "
                + "ORDER BY version DESC, artifact_name");
        ps.setString(1, plugin);
        return many(ps);
    }

    /** One version, by name. */
    public List<ArtifactRow> list(String plugin, String version) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM plugin_artifacts WHERE plugin_name = ? AND version = ? "
                + "ORDER BY artifact_name");
        ps.setString(1, plugin);
        ps.setString(2, version);
        return many(ps);
    }

    public Optional<ArtifactRow> get(String plugin, String version, String name) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM plugin_artifacts WHERE plugin_name = ? AND version = ? "
                + "AND artifact_name = ?");
        ps.setString(1, plugin);
        ps.setString(2, version);
        ps.setString(3, name);
        List<ArtifactRow> rows = many(ps);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Deletes one version ({@code version} non-null) or all; returns the number of rows removed. */
    public int delete(String plugin, String version) throws SQLException {
        PreparedStatement ps;
        if (version == null) {
            ps = c.prepare("DELETE FROM plugin_artifacts WHERE plugin_name = ?");
            ps.setString(1, plugin);
        } else {
            ps = c.prepare("DELETE FROM plugin_artifacts WHERE plugin_name = ? AND version = ?");
            ps.setString(1, plugin);
            ps.setString(2, version);
        }
        return ps.executeUpdate();
    }

    private static List<ArtifactRow> many(PreparedStatement ps) throws SQLException {
        List<ArtifactRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    private static ArtifactRow map(ResultSet rs) throws SQLException {
        return new ArtifactRow(rs.getLong("id"), rs.getString("plugin_name"), rs.getString("version"),
                rs.getString("artifact_name"), rs.getString("kind"), Rows.text(rs, "source_url"), Rows.text(rs, "checksum"),
                Rows.text(rs, "format"), Rows.text(rs, "local_path"), rs.getLong("size_bytes"), Rows.time(rs, "created_at"),
                Rows.time(rs, "updated_at"));
    }
}
