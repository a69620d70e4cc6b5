package io.volant.volantd.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Read-only looks at volantd's SQLite file, to check leases and rows the API does not show. */
final class Db {
    private Db() {}

    static long count(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static List<String> strings(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Every row of the tables a rejected request must not touch, as text. */
    static List<String> snapshot(Path db) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String table : List.of("vms", "vm_groups", "plugins", "ip_allocations", "vm_configs",
                    "vm_config_history", "plugin_artifacts")) {
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY rowid")) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= n; i++) {
                            row.append(r.getString(i)).append('|');
                        }
                        out.add(row.toString());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("snapshot " + db, e);
        }
        return out;
    }
}
