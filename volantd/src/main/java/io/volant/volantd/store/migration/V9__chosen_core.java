package io.volant.volantd.store.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 9 {@code chosen_core} (control-plane.md §6.8), using SQLite's documented table-rebuild procedure:
 * foreign keys are switched off <em>around</em> the transaction (a PRAGMA inside one is a no-op), then
 * {@code foreign_key_check} must come back empty. Hence not run inside Flyway's transaction.
 */
public final class V9__chosen_core extends BaseJavaMigration {

    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        boolean auto = c.getAutoCommit();
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("PRAGMA foreign_keys=OFF");
            c.setAutoCommit(false);
            try {
                s.execute("""
                        CREATE TABLE vms_new (
                            id INTEGER PRIMARY KEY AUTOINCREMENT,
                            name TEXT NOT NULL UNIQUE,
                            status TEXT NOT NULL,
                            pid INTEGER,
                            ip_address TEXT UNIQUE,
                            mac_address TEXT NOT NULL UNIQUE,
                            cpu_cores INTEGER NOT NULL CHECK (cpu_cores > 0),
                            memory_mb INTEGER NOT NULL CHECK (memory_mb > 0),
                            kernel_cmdline TEXT,
                            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                            updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                            runtime TEXT NOT NULL DEFAULT 'browser',
                            serial_socket TEXT,
                            console_socket TEXT,
                            group_id INTEGER REFERENCES vm_groups(id) ON DELETE SET NULL,
                            vsock_cid INTEGER NOT NULL DEFAULT 0,
                            desired_state TEXT NOT NULL DEFAULT 'running',
                            group_revision INTEGER
                        )""");
                s.execute("""
                        INSERT INTO vms_new (id, name, status, pid, ip_address, mac_address, cpu_cores, memory_mb,
                            kernel_cmdline, created_at, updated_at, runtime, serial_socket, console_socket, group_id,
                            vsock_cid, desired_state, group_revision)
                        SELECT id, name, status, pid, NULLIF(ip_address, ''), mac_address, cpu_cores, memory_mb,
                            kernel_cmdline, created_at, updated_at, runtime, serial_socket, console_socket, group_id,
                            vsock_cid, 'running', CASE WHEN group_id IS NULL THEN NULL ELSE 1 END
                        FROM vms""");
                s.execute("DROP TABLE vms");
                s.execute("ALTER TABLE vms_new RENAME TO vms");
                s.execute("CREATE INDEX idx_vms_status ON vms(status)");
                s.execute("CREATE INDEX idx_vms_group_id ON vms(group_id)");
                s.execute("CREATE INDEX idx_vms_vsock_cid ON vms(vsock_cid)");
                s.execute("CREATE UNIQUE INDEX idx_vms_vsock_cid_unique ON vms(vsock_cid) WHERE vsock_cid > 0");
                s.execute("ALTER TABLE vm_groups ADD COLUMN revision INTEGER NOT NULL DEFAULT 1");
                s.execute("ALTER TABLE vm_groups ADD COLUMN strategy_json TEXT");
                try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                    if (rs.next()) {
                        throw new SQLException("migration 9: foreign_key_check failed for table " + rs.getString(1));
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                s.execute("PRAGMA foreign_keys=ON");
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
