package io.volant.volantd.hypervisor.qemu;

import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.SavedDisks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU suspend to disk and resume (docs/control-plane.md "Suspend and resume"): {@code stop}, migrate the whole VM
 * (RAM included, no {@code x-ignore-shared}) into {@value #STATE_FILE}, copy the staged disk copies, {@code quit};
 * resume starts QEMU with the same argv plus {@code -incoming defer}, loads the file and {@code cont}s. A template
 * clone is suspended the same way; its resume backs the RAM block with anonymous memory instead of the template's
 * file, so it no longer depends on the template.
 */
final class QemuSuspend {
    private static final Logger LOG = LoggerFactory.getLogger(QemuSuspend.class);
    static final String STATE_FILE = "qemu.state";
    /** Present when the suspended VM's RAM was the memory backend {@code mem} (a template clone). */
    static final String RAM_BACKEND_MARK = "qemu-ram-backend";
    /** Writing or reading a few hundred MB of RAM through a pipe under TCG on a loaded host. */
    private static final Duration MIGRATION = Duration.ofMinutes(5);

    private QemuSuspend() {}

    /**
     * Saves the running VM into {@code stateDir} and ends QEMU. On failure before the end the guest is resumed
     * ({@code cont}) and the exception says why.
     */
    static void save(QemuLauncher.QemuInstance inst, HostPaths paths, Path stateDir, boolean ramBackend) {
        long t0 = System.nanoTime();
        QemuMigration m = new QemuMigration(inst.qmp());
        Path state = stateDir.resolve(STATE_FILE);
        try {
            m.setCapabilities(Map.of(QemuMigration.IGNORE_SHARED, false));
            m.stop();
            m.saveTo(state, MIGRATION);
            SavedDisks.save(paths, stateDir); // flushed and inactivated by the completed migration
            if (ramBackend) {
                // A clone's RAM is a private mapping of the template's file; the state names that block "mem", so
                // the resume backs "mem" with anonymous memory and needs no template.
                Files.writeString(stateDir.resolve(RAM_BACKEND_MARK), "mem\n");
            }
        } catch (IOException | RuntimeException e) {
            try {
                m.cont();
            } catch (RuntimeException ce) {
                LOG.warn("resume after failed suspend failed vm={} error={}", inst.name(), ce.getMessage());
            }
            throw new HypervisorException("qemu: " + e.getMessage(), e);
        }
        inst.stop(Duration.ZERO); // QMP quit; the exit counts as requested
        LOG.info("vm suspended vm={} backend=qemu state_bytes={} ms={}", inst.name(), size(state),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** @throws HypervisorException {@code qemu: resume vm <name>: state file missing: <path>} */
    static void checkState(String vm, Path stateDir) {
        Path state = stateDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(state)) {
            throw new HypervisorException("qemu: resume vm " + vm + ": state file missing: " + state);
        }
    }

    /** How QEMU starts to take back the state in {@code stateDir}. */
    static QemuArgv.Boot boot(Path stateDir) {
        return QemuArgv.Boot.resume(Files.exists(stateDir.resolve(RAM_BACKEND_MARK)));
    }

    /** Loads the saved state into a QEMU started with {@link #boot} and resumes it; on failure QEMU is stopped. */
    static void load(QemuLauncher.QemuInstance inst, HostPaths paths, Path stateDir) {
        long t0 = System.nanoTime();
        try {
            QemuMigration m = new QemuMigration(inst.qmp());
            m.restoreFrom(stateDir.resolve(STATE_FILE), MIGRATION);
            m.cont();
        } catch (RuntimeException e) {
            try {
                inst.stop(Duration.ZERO);
            } catch (RuntimeException se) {
                LOG.warn("stop after failed resume failed vm={} error={}", inst.name(), se.getMessage());
            }
            throw new HypervisorException("qemu: resume vm " + inst.name() + ": " + e.getMessage()
                    + QemuLauncher.logTail(paths.hypervisorLog()), e);
        }
        LOG.info("vm resumed vm={} backend=qemu pid={} ms={}", inst.name(), inst.pid(), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * An adopted QEMU left paused by a suspend that volantd did not finish (it died between {@code stop} and
     * {@code quit}) runs on: volantd pauses VMs for nothing else, and recovery has dropped the torn state.
     */
    static void continueInterrupted(QemuLauncher.QemuInstance inst) {
        try {
            QemuMigration m = new QemuMigration(inst.qmp());
            String status = m.status();
            if (status.equals("paused") || status.equals("postmigrate")) {
                m.cont();
                LOG.info("adopted vm continued after an interrupted suspend vm={} was={}", inst.name(), status);
            }
        } catch (RuntimeException e) {
            LOG.warn("adopted vm status check failed vm={} error={}", inst.name(), e.getMessage());
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
