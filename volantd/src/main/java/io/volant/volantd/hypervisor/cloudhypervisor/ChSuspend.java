package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.SavedDisks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud Hypervisor suspend to disk and resume (docs/control-plane.md "Suspend and resume"): {@code vm.pause},
 * {@code vm.snapshot} into {@code <state>/}{@value #SNAPSHOT_DIR} ({@code config.json}, {@code state.json},
 * {@code memory-ranges}), the staged disk copies, then the process ends; resume starts
 * {@code cloud-hypervisor --api-socket … --restore source_url=file://…} (the snapshot's own config: same devices,
 * tap, sockets, CID) and sends {@code vm.resume}, since CH restores paused.
 */
final class ChSuspend {
    private static final Logger LOG = LoggerFactory.getLogger(ChSuspend.class);
    static final String SNAPSHOT_DIR = "ch-snapshot";
    /** CH copies {@code memory-ranges} into guest RAM before it answers; a few hundred MB on a loaded host. */
    static final Duration RESTORE = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(100);

    private ChSuspend() {}

    /** Pauses, snapshots and saves the disks; on failure the guest is resumed and the exception says why. */
    static void save(ChApiClient api, Instance inst, HostPaths paths, Path stateDir) {
        long t0 = System.nanoTime();
        Path snapshot = stateDir.resolve(SNAPSHOT_DIR);
        api.call("vm.pause", null);
        try {
            Files.createDirectory(snapshot);
            api.call("vm.snapshot", "{\"destination_url\":\"file://" + snapshot + "\"}");
            SavedDisks.save(paths, stateDir); // the guest is paused: its disks are quiet
        } catch (IOException | RuntimeException e) {
            try {
                api.call("vm.resume", null);
            } catch (RuntimeException re) {
                LOG.warn("resume after failed suspend failed vm={} error={}", inst.name(), re.getMessage());
            }
            throw new HypervisorException("cloudhypervisor: suspend vm " + inst.name() + ": " + e.getMessage(), e);
        }
        inst.stop(Duration.ZERO); // SIGTERM; the exit counts as requested
        LOG.info("vm suspended vm={} backend=cloud-hypervisor ms={}", inst.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The snapshot directory inside {@code stateDir}. @throws HypervisorException when it has no config.json */
    static Path snapshotOf(String vm, Path stateDir) {
        Path snapshot = stateDir.resolve(SNAPSHOT_DIR);
        if (!Files.isRegularFile(snapshot.resolve("config.json"))) {
            throw new HypervisorException("cloudhypervisor: resume vm " + vm + ": snapshot missing: "
                    + snapshot.resolve("config.json"));
        }
        return snapshot;
    }

    /**
     * Resumes a CH started with {@code --restore}: {@code vm.resume} is retried while the API socket does not accept
     * connections yet, until {@code timeout} or the process exits; CH serves requests in order, so the answer comes
     * after the restore. Any HTTP answer other than 2xx is final.
     */
    static void resume(ChApiClient api, String vm, CompletableFuture<?> exit, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!exit.isDone()) {
            Integer code = null;
            try {
                code = api.put("vm.resume", null);
            } catch (HypervisorException e) {
                if (System.nanoTime() > deadline) {
                    throw new HypervisorException("cloudhypervisor: resume vm " + vm + ": " + e.getMessage()
                            + " after " + timeout, e);
                }
            }
            if (code != null) {
                if (code < 200 || code > 299) {
                    throw new HypervisorException("cloudhypervisor: resume vm " + vm + ": vm.resume: status " + code);
                }
                return;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("cloudhypervisor: resume vm " + vm + ": interrupted", e);
            }
        }
        throw new HypervisorException("cloudhypervisor: resume vm " + vm + ": cloud-hypervisor exited during restore");
    }
}
