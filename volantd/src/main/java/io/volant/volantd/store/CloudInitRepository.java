package io.volant.volantd.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The {@code vm_cloudinit} table. */
public final class CloudInitRepository {
    private final Conn c;

    CloudInitRepository(Conn c) {
        this.c = c;
    }

    public void upsert(CloudInitRow r) throws SQLException {
        PreparedStatement ps = c.prepare("INSERT INTO vm_cloudinit (vm_id, user_data, meta_data, network_config, seed_path, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT(vm_id) DO UPDATE SET user_data = excluded.user_data, "
                + "meta_data = excluded.meta_data, network_config = excluded.network_config, seed_path = excluded.seed_path, "
                + "updated_at = CURRENT_TIMESTAMP");
        ps.setLong(1, r.vmId());
        ps.setString(2, r.userData());
        ps.setString(3, r.metaData());
        ps.setString(4, r.networkConfig());
        ps.setString(5, r.seedPath());
        ps.executeUpdate();
    }

    public Optional<CloudInitRow> get(long vmId) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT vm_id, user_data, meta_data, network_config, seed_path FROM vm_cloudinit WHERE vm_id = ?");
        ps.setLong(1, vmId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new CloudInitRow(rs.getLong(1), Rows.text(rs, "user_data"), Rows.text(rs, "meta_data"),
                    Rows.text(rs, "network_config"), Rows.text(rs, "seed_path")));
        }
    }

    public void delete(long vmId) throws SQLException {
        PreparedStatement ps = c.prepare("DELETE FROM vm_cloudinit WHERE vm_id = ?");
        ps.setLong(1, vmId);
        ps.executeUpdate();
    }
}
