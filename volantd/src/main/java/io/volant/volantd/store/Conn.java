package io.volant.volantd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One JDBC connection with a prepared-statement cache. Used by one thread at a time (the store hands it out
 * under its lock or from its reader pool), so the cache needs no synchronization.
 */
final class Conn implements AutoCloseable {
    final Connection jdbc;
    private final Map<String, PreparedStatement> cache = new HashMap<>();

    Conn(Connection jdbc) {
        this.jdbc = jdbc;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = jdbc.prepareStatement(sql);
            cache.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        cache.clear();
        try {
            jdbc.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
