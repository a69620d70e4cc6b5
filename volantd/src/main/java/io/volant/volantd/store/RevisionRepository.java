package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code deployment_revisions} table (rows go with their deployment by the foreign key). */
public final class RevisionRepository {
    private static final String COLS = "group_id, revision, digest, config_json, cause, created_at, used_at";
    private final Conn c;

    RevisionRepository(Conn c) {
        this.c = c;
    }

    public void insert(long groupId, int revision, String digest, String configJson, String cause) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT INTO deployment_revisions (group_id, revision, digest, config_json, cause) "
                + "VALUES (?, ?, ?, ?, ?)");
        ps.setLong(1, groupId);
        ps.setInt(2, revision);
        ps.setString(3, digest);
        ps.setString(4, configJson);
        ps.setString(5, cause);
        ps.executeUpdate();
    }

    /** Marks the revision as the one the deployment moved to now, with the cause. */
    public void touch(long groupId, int revision, String cause) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE deployment_revisions SET used_at = CURRENT_TIMESTAMP, cause = ? "
                + "WHERE group_id = ? AND revision = ?");
        ps.setString(1, cause);
        ps.setLong(2, groupId);
        ps.setInt(3, revision);
        ps.executeUpdate();
    }

    public Optional<RevisionRow> get(long groupId, int revision) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM deployment_revisions WHERE group_id = ? AND revision = ?");
        ps.setLong(1, groupId);
        ps.setInt(2, revision);
        List<RevisionRow> r = many(ps);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.getFirst());
    }

    public Optional<RevisionRow> byDigest(long groupId, String digest) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM deployment_revisions WHERE group_id = ? AND digest = ? "
                + "ORDER BY revision DESC LIMIT 1");
        ps.setLong(1, groupId);
        ps.setString(2, digest);
        List<RevisionRow> r = many(ps);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.getFirst());
    }

    /** Oldest revision number first. */
    public List<RevisionRow> list(long groupId) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM deployment_revisions WHERE group_id = ? ORDER BY revision");
        ps.setLong(1, groupId);
        return many(ps);
    }

    /** Deletes all but the {@code keep} most recently used revisions; {@code current} is never deleted. */
    public void prune(long groupId, int keep, int current) throws SQLException {
        PreparedStatement ps = c.prepare("DELETE FROM deployment_revisions WHERE group_id = ? AND revision <> ? AND revision NOT IN "
                + "(SELECT revision FROM deployment_revisions WHERE group_id = ? ORDER BY used_at DESC, revision DESC LIMIT ?)");
        ps.setLong(1, groupId);
        ps.setInt(2, current);
        ps.setLong(3, groupId);
        ps.setInt(4, keep);
        ps.executeUpdate();
    }

    private static List<RevisionRow> many(PreparedStatement ps) throws SQLException {
        List<RevisionRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RevisionRow(rs.getLong("group_id"), rs.getInt("revision"), rs.getString("digest"),
                        rs.getString("config_json"), rs.getString("cause"), Rows.time(rs, "created_at"), Rows.time(rs, "used_at")));
            }
        }
        return out;
    }
}
