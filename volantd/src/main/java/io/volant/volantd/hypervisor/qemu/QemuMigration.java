package io.volant.volantd.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * QEMU's migration-to-file machinery over one {@link QmpClient}: the calls templates (save the device state of a
 * paused guest whose RAM is a shared file, restore clones from it) and suspend/resume (save everything) share.
 * QEMU 7.2 has no {@code file:} migration URI, so files go through {@code exec:cat}; paths are single-quoted for
 * the shell QEMU runs it with. Every method blocks; the waits poll every {@link #POLL} and fail with QEMU's reason.
 */
public final class QemuMigration {
    /** The capability that skips RAM backed by a shared file: only device state is written. */
    public static final String IGNORE_SHARED = "x-ignore-shared";
    /** A clone's restore of ~0.7 MB takes a few ms: a longer poll would be most of its wait (a local QMP call each). */
    static final Duration POLL = Duration.ofMillis(5);
    private static final Duration CALL = Duration.ofSeconds(10);

    private final QmpClient qmp;

    public QemuMigration(QmpClient qmp) {
        this.qmp = qmp;
    }

    /** {@code migrate-set-capabilities}: each entry sets one capability on or off. */
    public void setCapabilities(Map<String, Boolean> capabilities) {
        List<Map<String, Object>> caps = new ArrayList<>();
        capabilities.forEach((k, v) -> caps.add(Map.of("capability", k, "state", v)));
        qmp.execute("migrate-set-capabilities", Map.of("capabilities", caps), CALL);
    }

    /** Pauses the vCPUs ({@code stop}). Idempotent. */
    public void stop() {
        qmp.execute("stop", CALL);
    }

    /** Resumes the vCPUs ({@code cont}). */
    public void cont() {
        qmp.execute("cont", CALL);
    }

    /** The run state of {@code query-status} ({@code running}, {@code paused}, {@code inmigrate}, …). */
    public String status() {
        return qmp.execute("query-status", CALL).path("return").path("status").asText("");
    }

    /**
     * Migrates the VM into {@code file} and waits until QEMU reports {@code completed}. The VM should be stopped
     * first (a running guest keeps dirtying RAM); QEMU leaves it paused ({@code postmigrate}) afterwards.
     *
     * @throws HypervisorException with QEMU's {@code error-desc} when the migration failed, or on timeout
     */
    public void saveTo(Path file, Duration timeout) {
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + shellQuote(file)), CALL);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = qmp.execute("query-migrate", CALL).path("return");
            String status = r.path("status").asText("");
            switch (status) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" -> throw new HypervisorException("qemu: migrate to " + file + " " + status
                        + ": " + r.path("error-desc").asText("no reason given"));
                default -> waitOrFail(deadline, "migrate to " + file + " still " + status + " after " + timeout);
            }
        }
    }

    /**
     * Loads the state in {@code file} into a QEMU started with {@code -incoming defer} and waits until it has left
     * {@code inmigrate}. The caller resumes it with {@link #cont()} (QEMU may already run it, cont is harmless then).
     *
     * @throws HypervisorException when QEMU rejected the state (it exits; the QMP connection closes) or on timeout
     */
    public void restoreFrom(Path file, Duration timeout) {
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + shellQuote(file)), CALL);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String status;
            try {
                status = status();
            } catch (HypervisorException e) {
                // QEMU exits when it rejects an incoming stream; its log has the reason
                throw new HypervisorException("qemu: restore from " + file + " failed, QEMU gone: " + e.getMessage(), e);
            }
            if (!"inmigrate".equals(status)) {
                JsonNode m = qmp.execute("query-migrate", CALL).path("return");
                if ("failed".equals(m.path("status").asText(""))) {
                    throw new HypervisorException("qemu: restore from " + file + " failed: "
                            + m.path("error-desc").asText("no reason given"));
                }
                return;
            }
            waitOrFail(deadline, "restore from " + file + " still inmigrate after " + timeout);
        }
    }

    static String shellQuote(Path file) {
        return "'" + file.toString().replace("'", "'\\''") + "'";
    }

    private static void waitOrFail(long deadline, String message) {
        if (System.nanoTime() > deadline) {
            throw new HypervisorException("qemu: " + message);
        }
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("qemu: interrupted: " + message, e);
        }
    }
}
