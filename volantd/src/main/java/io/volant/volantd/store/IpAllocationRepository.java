package io.volant.volantd.store;

import io.volant.volantd.errors.UnavailableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code ip_allocations} table (control-plane.md §6.6). Leases go in numeric address order. */
public final class IpAllocationRepository {
    public static final String EXHAUSTED = "db: no available ip addresses";

    private final Conn c;

    IpAllocationRepository(Conn c) {
        this.c = c;
    }

    /** Inserts each address as {@code available} unless present; existing leases are untouched. Batched. */
    public void ensurePool(Collection<String> addresses) throws SQLException {
        // ip_num is the numeric sort key; every row gets one (non-IPv4 legacy text: -1), so the lease query can
        // walk the (status, ip_num) index.
        PreparedStatement ps = c.prepare("INSERT INTO ip_allocations (ip_address, status, ip_num) VALUES (?, 'available', ?) "
                + "ON CONFLICT(ip_address) DO UPDATE SET ip_num = excluded.ip_num WHERE ip_num IS NULL");
        for (String ip : addresses) {
            ps.setString(1, ip);
            ps.setLong(2, ipNum(ip));
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /** Leases the numerically smallest available address ({@code vm_id} NULL until {@link #assign}). */
    public String leaseNextAvailable() throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE ip_allocations SET status = 'leased', vm_id = NULL, leased_at = CURRENT_TIMESTAMP "
                + "WHERE ip_address = (SELECT ip_address FROM ip_allocations INDEXED BY idx_ip_allocations_lease "
                + "WHERE status = 'available' ORDER BY ip_num LIMIT 1) RETURNING ip_address");
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new UnavailableException(EXHAUSTED);
            }
            return rs.getString(1);
        }
    }

    /** Leases one given address; fails when it is leased or unknown. */
    public void leaseSpecific(String ip) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE ip_allocations SET status = 'leased', vm_id = NULL, leased_at = CURRENT_TIMESTAMP "
                + "WHERE ip_address = ? AND status = 'available'");
        ps.setString(1, ip);
        if (ps.executeUpdate() == 0) {
            throw new UnavailableException(EXHAUSTED);
        }
    }

    /** Sets {@code vm_id} on a leased row. */
    public void assign(String ip, long vmId) throws SQLException {
        PreparedStatement ps = c.prepare("UPDATE ip_allocations SET vm_id = ? WHERE ip_address = ? AND status = 'leased'");
        ps.setLong(1, vmId);
        ps.setString(2, ip);
        if (ps.executeUpdate() == 0) {
            throw new SQLException("assign ip: no rows affected");
        }
    }

    /** Makes the address available again; unknown or empty addresses are a silent no-op. */
    public void release(String ip) throws SQLException {
        if (ip == null || ip.isEmpty()) {
            return;
        }
        PreparedStatement ps = c.prepare(
                "UPDATE ip_allocations SET status = 'available', vm_id = NULL, leased_at = NULL WHERE ip_address = ?");
        ps.setString(1, ip);
        ps.executeUpdate();
    }

    public Optional<IpAllocation> lookup(String ip) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT ip_address, vm_id, status, leased_at FROM ip_allocations WHERE ip_address = ?");
        ps.setString(1, ip);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    public List<IpAllocation> list() throws SQLException {
        List<IpAllocation> out = new ArrayList<>();
        try (ResultSet rs = c.prepare("SELECT ip_address, vm_id, status, leased_at FROM ip_allocations "
                + "ORDER BY ip_num IS NULL, ip_num, ip_address").executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    /**
     * The startup sweep (control-plane.md §6.6 Chosen): delete available rows outside the pool, release leases whose
     * VM is gone, give each VM with an address its lease, fill missing sort keys; a leased address outside the pool
     * stays until released, then it is deleted ({@link #releaseOrDrop}).
     */
    public void sweep(Set<String> pool) throws SQLException {
        c.prepare("UPDATE ip_allocations SET status = 'available', vm_id = NULL, leased_at = NULL WHERE status = 'leased' "
                + "AND (vm_id IS NULL OR vm_id NOT IN (SELECT id FROM vms))").executeUpdate();
        List<IpAllocation> rows = list();
        PreparedStatement del = c.prepare("DELETE FROM ip_allocations WHERE ip_address = ?");
        PreparedStatement num = c.prepare("UPDATE ip_allocations SET ip_num = ? WHERE ip_address = ? AND ip_num IS NULL");
        for (IpAllocation r : rows) {
            if (IpAllocation.AVAILABLE.equals(r.status()) && !pool.contains(r.ipAddress())) {
                del.setString(1, r.ipAddress());
                del.addBatch();
            } else {
                num.setLong(1, ipNum(r.ipAddress()));
                num.setString(2, r.ipAddress());
                num.addBatch();
            }
        }
        del.executeBatch();
        num.executeBatch();
        // Each VM's own address is leased to it, whatever the table said.
        c.prepare("INSERT INTO ip_allocations (ip_address, vm_id, status, leased_at, ip_num) "
                + "SELECT v.ip_address, v.id, 'leased', CURRENT_TIMESTAMP, NULL FROM vms v WHERE v.ip_address IS NOT NULL "
                + "ON CONFLICT(ip_address) DO UPDATE SET vm_id = excluded.vm_id, status = 'leased', "
                + "leased_at = COALESCE(ip_allocations.leased_at, excluded.leased_at) "
                + "WHERE ip_allocations.status <> 'leased' OR ip_allocations.vm_id IS NOT excluded.vm_id").executeUpdate();
        for (IpAllocation r : list()) {
            if (r.ipAddress() != null) {
                num.setLong(1, ipNum(r.ipAddress()));
                num.setString(2, r.ipAddress());
                num.addBatch();
            }
        }
        num.executeBatch();
    }

    /** Release; an address outside {@code pool} is deleted instead (it can never be leased again). */
    public void releaseOrDrop(String ip, Set<String> pool) throws SQLException {
        if (ip == null || ip.isEmpty()) {
            return;
        }
        if (pool.contains(ip)) {
            release(ip);
        } else {
            PreparedStatement del = c.prepare("DELETE FROM ip_allocations WHERE ip_address = ?");
            del.setString(1, ip);
            del.executeUpdate();
        }
    }

    /** The address as an unsigned number; -1 when it is not an IPv4 literal. */
    static long ipNum(String ip) {
        String[] p = ip.split("\\.", -1);
        if (p.length != 4) {
            return -1;
        }
        long v = 0;
        for (String s : p) {
            try {
                int n = Integer.parseInt(s);
                if (n < 0 || n > 255) {
                    return -1;
                }
                v = (v << 8) | n;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return v;
    }

    private static IpAllocation map(ResultSet rs) throws SQLException {
        return new IpAllocation(rs.getString("ip_address"), Rows.nullableLong(rs, "vm_id"), rs.getString("status"),
                Rows.time(rs, "leased_at"));
    }
}
