package io.volant.volantd.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite store (control-plane.md §6.1). WAL mode; <b>one writer connection</b> behind a fair lock, so write
 * transactions are serialized as SQLite requires anyway, and a small pool of reader connections that see the last
 * committed snapshot without waiting for the writer. A read requested by a thread that is inside a write
 * transaction uses that transaction (no thread ever waits for a connection while holding one).
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final int READERS = 4;

    private final Path path;
    private final Conn writer;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final BlockingQueue<Conn> readers;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();
    private volatile boolean closed;
    /** Bumped after every committed (or rolled back) transaction that wrote {@code vms}. */
    private final java.util.concurrent.atomic.AtomicLong vmGeneration = new java.util.concurrent.atomic.AtomicLong();
    private volatile VmSnapshot vmSnapshot;

    private record VmSnapshot(long generation, List<VmRow> rows) {}

    private Store(Path path, Conn writer, BlockingQueue<Conn> readers) {
        this.path = path;
        this.writer = writer;
        this.readers = readers;
    }

    /**
     * Opens (creating the parent directory with mode 0755) and migrates the database.
     *
     * @throws StoreException {@code open database: <cause>} or {@code migrate database: <cause>}
     */
    public static Store open(Path dbPath) {
        Path abs = dbPath.toAbsolutePath().normalize();
        try {
            Path parent = abs.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        } catch (IOException e) {
            throw new StoreException("open database: create directory: " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + abs;
        migrate(url);
        BlockingQueue<Conn> readers = new ArrayBlockingQueue<>(READERS);
        Conn writer;
        try {
            writer = new Conn(connect(url, false));
            for (int i = 0; i < READERS; i++) {
                readers.add(new Conn(connect(url, true)));
            }
        } catch (SQLException e) {
            readers.forEach(Conn::close);
            throw new StoreException("open database: " + e.getMessage(), e);
        }
        log.info("store opened path={}", abs);
        return new Store(abs, writer, readers);
    }

    private static Connection connect(String url, boolean reader) throws SQLException {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("foreign_keys", "true");
        p.setProperty("busy_timeout", "5000");
        p.setProperty("date_class", "TEXT");
        Connection c = DriverManager.getConnection(url, p);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=5000");
            if (reader) {
                s.execute("PRAGMA query_only=ON");
            }
        }
        c.setAutoCommit(false);
        return c;
    }

    private static void migrate(String url) {
        FluentConfiguration cfg = Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:io/volant/volantd/store/migration")
                .mixed(true);
        // A database created by upstream volantd records its migrations in schema_migrations only; Flyway then
        // starts from the version upstream reached (control-plane.md §6.2: same versions and names).
        int upstream = upstreamVersion(url);
        if (upstream > 0) {
            cfg = cfg.baselineOnMigrate(true).baselineVersion(String.valueOf(upstream))
                    .baselineDescription("upstream schema_migrations");
        }
        try {
            cfg.load().migrate();
        } catch (RuntimeException e) {
            throw new StoreException("migrate database: " + e.getMessage(), e);
        }
    }

    private static int upstreamVersion(String url) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name='flyway_schema_history'")) {
                if (rs.next()) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'")) {
                if (!rs.next()) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("open database: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Runs {@code fn} in one write transaction: commit on return, rollback on any exception (rethrown; SQL errors
     * wrapped in {@link StoreException}). Nested calls on the same thread join the outer transaction.
     */
    public <T> T write(TxFunction<T> fn) {
        Tx outer = current.get();
        if (outer != null) {
            return call(fn, outer);
        }
        ensureOpen();
        writeLock.lock();
        try {
            Tx tx = new Tx(writer);
            current.set(tx);
            try {
                T result = call(fn, tx);
                try {
                    writer.jdbc.commit();
                } catch (SQLException e) {
                    throw new StoreException("commit tx: " + e.getMessage(), e);
                } finally {
                    if (tx.vmsChanged) {
                        vmGeneration.incrementAndGet();
                    }
                }
                return result;
            } catch (RuntimeException | Error e) {
                if (tx.vmsChanged) {
                    vmGeneration.incrementAndGet();
                }
                try {
                    writer.jdbc.rollback();
                } catch (SQLException re) {
                    throw new StoreException("rollback tx after error " + e.getMessage() + ": " + re.getMessage(), re);
                }
                throw e;
            } finally {
                current.remove();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code fn} on a consistent snapshot of the last committed state (or inside the caller's write tx). */
    public <T> T read(TxFunction<T> fn) {
        Tx outer = current.get();
        if (outer != null) {
            return call(fn, outer);
        }
        ensureOpen();
        Conn c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("read interrupted", e);
        }
        try {
            Tx tx = new Tx(c);
            current.set(tx);
            try {
                return call(fn, tx);
            } finally {
                current.remove();
                try {
                    c.jdbc.rollback(); // ends the read snapshot
                } catch (SQLException ignored) {
                    // next use starts a new snapshot anyway
                }
            }
        } finally {
            readers.add(c);
        }
    }

    /**
     * Every VM row in creation order, served from memory while no transaction has written {@code vms} since the
     * last read (GET /api/v1/vms at 1000 VMs). The generation is read before the query and bumped only after a
     * commit, so a cached list is never newer-labelled than its data.
     */
    public List<VmRow> vmRows() {
        long gen = vmGeneration.get();
        VmSnapshot snap = vmSnapshot;
        if (snap != null && snap.generation() == gen && current.get() == null) {
            return snap.rows();
        }
        List<VmRow> rows = List.copyOf(read(tx -> tx.vms().list()));
        if (current.get() == null) {
            vmSnapshot = new VmSnapshot(gen, rows);
        }
        return rows;
    }

    private static <T> T call(TxFunction<T> fn, Tx tx) {
        try {
            return fn.apply(tx);
        } catch (SQLException e) {
            throw new StoreException("store: " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    /** Closes every connection; waits for a running write transaction to finish. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            writer.close();
        } finally {
            writeLock.unlock();
        }
        for (int i = 0; i < READERS; i++) {
            try {
                Conn c = readers.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                if (c != null) {
                    c.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.info("store closed path={}", path);
    }
}
