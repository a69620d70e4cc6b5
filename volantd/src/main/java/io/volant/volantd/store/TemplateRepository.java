package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code templates} and {@code template_users} tables. */
public final class TemplateRepository {
    private static final String COLS = "name, template_key, backend, status, image_json, created_at";
    private final Conn c;

    TemplateRepository(Conn c) {
        this.c = c;
    }

    /** Records a template being created (status {@code creating}); replaces a row of the same name. */
    public void insertCreating(String name, String key, String backend) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT OR REPLACE INTO templates (name, template_key, backend, status) VALUES (?, ?, ?, ?)");
        ps.setString(1, name);
        ps.setString(2, key);
        ps.setString(3, backend);
        ps.setString(4, TemplateRow.CREATING);
        ps.executeUpdate();
    }

    public void markReady(String name, String imageJson) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE templates SET status = ?, image_json = ? WHERE name = ?");
        ps.setString(1, TemplateRow.READY);
        ps.setString(2, imageJson);
        ps.setString(3, name);
        ps.executeUpdate();
    }

    public Optional<TemplateRow> getByKey(String key) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + " FROM templates WHERE template_key = ?");
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    /** All templates by name. */
    public List<TemplateRow> list() throws SQLException {
        List<TemplateRow> out = new ArrayList<>();
        try (ResultSet rs = c.prepare("SELECT " + COLS + " FROM templates ORDER BY name").executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    /** Deleting the absent succeeds; users go with it. */
    public void delete(String name) throws SQLException {
        PreparedStatement ps = c.prepare("DELETE FROM templates WHERE name = ?");
        ps.setString(1, name);
        ps.executeUpdate();
    }

    /** Records that revision {@code revision} of group {@code groupId} clones from the template. Idempotent. */
    public void addUser(String name, long groupId, int revision) throws SQLException {
        PreparedStatement ps = c.prepare(
                "INSERT OR IGNORE INTO template_users (template_name, group_id, revision) VALUES (?, ?, ?)");
        ps.setString(1, name);
        ps.setLong(2, groupId);
        ps.setInt(3, revision);
        ps.executeUpdate();
    }

    /** Names of the templates revision {@code revision} of group {@code groupId} clones from. */
    public List<String> usedBy(long groupId, int revision) throws SQLException {
        PreparedStatement ps = c.prepare(
                "SELECT template_name FROM template_users WHERE group_id = ? AND revision = ? ORDER BY template_name");
        ps.setLong(1, groupId);
        ps.setInt(2, revision);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Names of ready templates that no deployment with replicas uses at its current revision (users of older
     * revisions, of deployments scaled to zero and of deleted deployments do not count).
     */
    public List<String> unused() throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.prepare("""
                SELECT t.name FROM templates t WHERE t.status = 'ready' AND NOT EXISTS (
                    SELECT 1 FROM template_users u JOIN vm_groups g ON g.id = u.group_id
                    WHERE u.template_name = t.name AND u.revision = g.revision AND g.replicas > 0)
                ORDER BY t.name""").executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static TemplateRow map(ResultSet rs) throws SQLException {
        return new TemplateRow(rs.getString("name"), rs.getString("template_key"), rs.getString("backend"),
                rs.getString("status"), rs.getString("image_json"),
                Rows.time(rs, "created_at"));
    }
}
