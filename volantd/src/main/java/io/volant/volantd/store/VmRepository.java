package io.volant.volantd.store;

import io.volant.volantd.errors.UnavailableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code vms} table. Absent rows are empty results, never errors. */
public final class VmRepository {
    private static final String COLS = "v.id, v.name, v.status, v.pid, v.ip_address, v.mac_address, v.cpu_cores, "
            + "v.memory_mb, v.kernel_cmdline, v.runtime, v.serial_socket, v.group_id, g.name AS group_name, "
            + "v.vsock_cid, v.desired_state, v.group_revision, v.created_at, v.updated_at";
    private static final String FROM = " FROM vms v LEFT JOIN vm_groups g ON g.id = v.group_id";
    /** CIDs 0-2 are reserved (hypervisor, local, host). */
    public static final long FIRST_CID = 3;
    private static final long LAST_CID = 0xFFFFFFFEL;

    private final Conn c;
    private final Tx tx;

    VmRepository(Conn c, Tx tx) {
        this.c = c;
        this.tx = tx;
    }

    /** Inserts and returns the id; errors are prefixed {@code insert vm: }. */
    public long insert(NewVm v) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare("INSERT INTO vms (name, status, ip_address, mac_address, cpu_cores, memory_mb, "
                + "kernel_cmdline, runtime, group_id, group_revision, vsock_cid, desired_state) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        ps.setString(1, v.name());
        ps.setString(2, v.status());
        Rows.setNullableText(ps, 3, v.ipAddress());
        ps.setString(4, v.macAddress());
        ps.setInt(5, v.cpuCores());
        ps.setInt(6, v.memoryMb());
        Rows.setNullableText(ps, 7, v.kernelCmdline());
        ps.setString(8, v.runtime());
        Rows.setNullableLong(ps, 9, v.groupId());
        if (v.groupRevision() == null) {
            ps.setNull(10, java.sql.Types.INTEGER);
        } else {
            ps.setInt(10, v.groupRevision());
        }
        ps.setLong(11, v.vsockCid());
        ps.setString(12, v.desiredState());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SQLException("insert vm: " + e.getMessage(), e);
        }
    }

    public Optional<VmRow> getByName(String name) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + FROM + " WHERE v.name = ?");
        ps.setString(1, name);
        return one(ps);
    }

    public Optional<VmRow> getById(long id) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + FROM + " WHERE v.id = ?");
        ps.setLong(1, id);
        return one(ps);
    }

    public boolean exists(String name) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT 1 FROM vms WHERE name = ?");
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Every VM, in creation order (ties by id). */
    public List<VmRow> list() throws SQLException {
        return many(c.prepare("SELECT " + COLS + FROM + " ORDER BY v.created_at, v.id"));
    }

    /** Members of a group, by name. */
    public List<VmRow> listByGroup(long groupId) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT " + COLS + FROM + " WHERE v.group_id = ? ORDER BY v.name");
        ps.setLong(1, groupId);
        return many(ps);
    }

    /** VMs with one of the given statuses (recovery). */
    public List<VmRow> listByStatus(String... statuses) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < statuses.length; i++) {
            in.append(i == 0 ? "?" : ",?");
        }
        PreparedStatement ps = c.prepare("SELECT " + COLS + FROM + " WHERE v.status IN (" + in + ") ORDER BY v.id");
        for (int i = 0; i < statuses.length; i++) {
            ps.setString(i + 1, statuses[i]);
        }
        return many(ps);
    }

    public int count() throws SQLException {
        try (ResultSet rs = c.prepare("SELECT COUNT(*) FROM vms").executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Lower-cased status → count. */
    public Map<String, Integer> countByStatus() throws SQLException {
        return counts("SELECT lower(status), COUNT(*) FROM vms GROUP BY lower(status) ORDER BY 1");
    }

    /** Lower-cased runtime → count; blank runtimes skipped. */
    public Map<String, Integer> countByRuntime() throws SQLException {
        return counts("SELECT lower(trim(runtime)), COUNT(*) FROM vms WHERE trim(runtime) <> '' GROUP BY 1 ORDER BY 1");
    }

    private Map<String, Integer> counts(String sql) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (ResultSet rs = c.prepare(sql).executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    public void updateRuntimeState(long id, String status, Long pid) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare("UPDATE vms SET status = ?, pid = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setString(1, status);
        Rows.setNullableLong(ps, 2, pid);
        ps.setLong(3, id);
        ps.executeUpdate();
    }

    /** Status, pid and desired state in one statement (start, stop). */
    public void updateState(long id, String status, Long pid, String desiredState) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare(
                "UPDATE vms SET status = ?, pid = ?, desired_state = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setString(1, status);
        Rows.setNullableLong(ps, 2, pid);
        ps.setString(3, desiredState);
        ps.setLong(4, id);
        ps.executeUpdate();
    }

    /** {@code running} with pid and serial socket (console socket NULL). */
    public void markRunning(long id, long pid, String serialSocket) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare("UPDATE vms SET status = 'running', pid = ?, serial_socket = ?, "
                + "console_socket = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setLong(1, pid);
        Rows.setNullableText(ps, 2, serialSocket);
        ps.setLong(3, id);
        ps.executeUpdate();
    }

    public void updateKernelCmdline(long id, String cmdline) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare("UPDATE vms SET kernel_cmdline = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        Rows.setNullableText(ps, 1, cmdline);
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    public void updateSockets(long id, String serialSocket) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare(
                "UPDATE vms SET serial_socket = ?, console_socket = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        Rows.setNullableText(ps, 1, serialSocket);
        ps.setLong(2, id);
        ps.executeUpdate();
    }

    public void updateSpec(long id, String runtime, int cpuCores, int memoryMb, String cmdline) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare("UPDATE vms SET runtime = ?, cpu_cores = ?, memory_mb = ?, kernel_cmdline = ?, "
                + "updated_at = CURRENT_TIMESTAMP WHERE id = ?");
        ps.setString(1, runtime);
        ps.setInt(2, cpuCores);
        ps.setInt(3, memoryMb);
        Rows.setNullableText(ps, 4, cmdline);
        ps.setLong(5, id);
        ps.executeUpdate();
    }

    /** Deletes the row; configs, history and cloud-init rows cascade, leases get {@code vm_id} NULL. */
    public boolean delete(long id) throws SQLException {
        tx.vmsChanged = true;
        PreparedStatement ps = c.prepare("DELETE FROM vms WHERE id = ?");
        ps.setLong(1, id);
        return ps.executeUpdate() > 0;
    }

    /**
     * The smallest CID &ge; 3 no VM row holds (control-plane.md §6.7), found with the CID index instead of reading
     * every row.
     */
    public long nextFreeCid() throws SQLException {
        PreparedStatement first = c.prepare("SELECT 1 FROM vms WHERE vsock_cid = ?");
        first.setLong(1, FIRST_CID);
        try (ResultSet rs = first.executeQuery()) {
            if (!rs.next()) {
                return FIRST_CID;
            }
        }
        PreparedStatement gap = c.prepare("SELECT MIN(v.vsock_cid) + 1 FROM vms v WHERE v.vsock_cid >= ? AND NOT EXISTS "
                + "(SELECT 1 FROM vms w WHERE w.vsock_cid = v.vsock_cid + 1)");
        gap.setLong(1, FIRST_CID);
        try (ResultSet rs = gap.executeQuery()) {
            long cid = rs.next() ? rs.getLong(1) : FIRST_CID;
            if (cid > LAST_CID) {
                throw new UnavailableException("allocate vsock cid: no available vsock CIDs");
            }
            return cid;
        }
    }

    private Optional<VmRow> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private List<VmRow> many(PreparedStatement ps) throws SQLException {
        List<VmRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    /** By column position (order of {@link #COLS}): name lookups cost more than the rest of a 1000-row list. */
    private static VmRow map(ResultSet rs) throws SQLException {
        long pid = rs.getLong(4);
        Long pidOrNull = rs.wasNull() ? null : pid;
        long group = rs.getLong(12);
        Long groupOrNull = rs.wasNull() ? null : group;
        int rev = rs.getInt(16);
        Integer revOrNull = rs.wasNull() ? null : rev;
        return new VmRow(rs.getLong(1), rs.getString(2), rs.getString(3), pidOrNull, rs.getString(5), rs.getString(6),
                rs.getInt(7), rs.getInt(8), orEmpty(rs.getString(9)), orEmpty(rs.getString(10)), orEmpty(rs.getString(11)),
                groupOrNull, rs.getString(13), rs.getLong(14), orEmpty(rs.getString(15)), revOrNull,
                Timestamps.parse(rs.getString(17)), Timestamps.parse(rs.getString(18)));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
