package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code vm_groups} table (deployments). */
public final class GroupRepository {
    private static final String COLS = "id, name, config_json, replicas, revision, strategy_json, created_at, updated_at, rollout_json, deleting, last_revision";
    private final Conn c;
    private final Tx tx;

    GroupRepository(Conn c, Tx tx) {
        this.c = c;
        this.tx = tx;
    }

    public long create(String name, String configJson, int replicas, String strategyJson) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT INTO vm_groups (name, config_json, replicas, strategy_json) VALUES (?, ?, ?, ?) RETURNING id");
        ps.setString(1, name);
        ps.setString(2, configJson);
        ps.setInt(3, replicas);
        Rows.setNullableText(ps, 4, strategyJson);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public Optional<GroupRow> getByName(String name) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM vm_groups WHERE name = ?");
        ps.setString(1, name);
        return one(ps);
    }

    public Optional<GroupRow> getById(long id) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM vm_groups WHERE id = ?");
        ps.setLong(1, id);
        return one(ps);
    }

    /** All groups by name. */
    public List<GroupRow> list() throws SQLException {
        List<GroupRow> out = new ArrayList<>();
        try (ResultSet rs = c.prepare("SELECT " + COLS + " FROM vm_groups ORDER BY name").executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    public void updateReplicas(long id, int replicas) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE vm_groups SET replicas = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setInt(1, replicas);
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    /** Sets the current config and revision; {@code last_revision} follows when {@code revision} is higher. */
    public void updateConfig(long id, String configJson, int revision, String strategyJson) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE vm_groups SET config_json = ?, revision = ?, strategy_json = ?, "
                + "last_revision = MAX(last_revision, ?), updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setString(1, configJson);
        ps.setInt(2, revision);
        Rows.setNullableText(ps, 3, strategyJson);
        ps.setInt(4, revision);
        ps.setLong(5, id);
        ps.executeUpdate();
    }

    /** The persisted rollout state (JSON owned by the deployment package); does not bump {@code updated_at}. */
    public void updateRollout(long id, String rolloutJson) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE vm_groups SET rollout_json = ? WHERE id = ?");
        Rows.setNullableText(ps, 1, rolloutJson);
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    /** Records the delete intent and sets replicas to 0 in one statement. */
    public void markDeleting(long id) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE vm_groups SET deleting = 1, replicas = 0, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setLong(1, id);
        ps.executeUpdate();
    }

    /** Deletes the group; members' {@code group_id} becomes NULL. */
    public boolean delete(long id) throws SQLException {
        tx.vmsChanged = true; // members' group_id becomes NULL
        PreparedStatement ps = c.prepare("DELETE FROM vm_groups WHERE id = ?");
        ps.setLong(1, id);
        return ps.executeUpdate() > 0;
    }

    private Optional<GroupRow> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static GroupRow map(ResultSet rs) throws SQLException {
        return new GroupRow(rs.getLong("id"), rs.getString("name"), rs.getString("config_json"), rs.getInt("replicas"),
                rs.getInt("revision"), rs.getString("strategy_json"), Rows.time(rs, "created_at"), Rows.time(rs, "updated_at"),
                rs.getString("rollout_json"), rs.getInt("deleting") != 0, rs.getInt("last_revision"));
    }
}
