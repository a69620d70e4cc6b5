package io.volant.volantd.vm;

import io.volant.manifest.CloudInit;
import io.volant.manifest.DeviceConfig;
import io.volant.manifest.Manifest;
import io.volant.manifest.NetworkConfig;
import io.volant.manifest.RootFs;
import io.volant.volantd.hypervisor.KernelCommandLine;
import io.volant.volantd.cloudinit.SeedBuilder;
import io.volant.volantd.cloudinit.SeedException;
import io.volant.volantd.cloudinit.SeedInput;
import io.volant.volantd.config.HostPort;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.drift.DriftExposure;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.VolantException;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.network.Macs;
import io.volant.volantd.network.NetworkException;
import io.volant.volantd.network.NetworkManager;
import io.volant.volantd.store.CloudInitRow;
import io.volant.volantd.store.Tx;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.template.TemplateManager;
import io.volant.volantd.vfio.VfioException;
import io.volant.volantd.vfio.VfioManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of one VM's runtime: seed, tap, VFIO binding and hypervisor, acquired in that order and released
 * in reverse (control-plane.md §2.10 item 3). Holds no state of its own; callers hold the VM's lock.
 */
public final class VmRuntime {
    private static final Logger log = LoggerFactory.getLogger(VmRuntime.class);

    private final Launcher launcher;
    private final NetworkManager net;
    private final SeedBuilder seeds;
    private final VfioManager vfio;
    private final VolantdConfig cfg;
    private final Set<String> pool;
    private final VmRoutes routes;
    private final SavedStates states;
    private final TemplateManager templates;

    /**
     * @param templates starts deployment replicas as clones (docs/templates.md) and everything else cold
     */
    public VmRuntime(Launcher launcher, NetworkManager net, SeedBuilder seeds, VfioManager vfio, VolantdConfig cfg,
                     Set<String> pool, DriftExposure drift, TemplateManager templates) {
        this.routes = new VmRoutes(drift);
        this.templates = templates;
        this.launcher = launcher;
        this.net = net;
        this.seeds = seeds;
        this.vfio = vfio;
        this.cfg = cfg;
        this.pool = Set.copyOf(pool);
        this.states = new SavedStates(cfg.dataDir().resolve("suspended"));
    }

    /** A seed file and the {@code vm_cloudinit} row describing it. */
    public record Seed(Path path, CloudInitRow record) {}

    /** What the engine keeps for a running VM. */
    public record Handle(Instance instance, String tap, List<String> vfio) {}

    /** Resources acquired so far by one create/start, released in reverse order on failure. */
    static final class Acquired {
        Seed seed;
        String tap = "";
        List<String> vfio = List.of();
        Instance instance;
        DriftExposure.Claim routes = DriftExposure.Claim.NONE;
        boolean routesApplied;
        /** The saved state a resume restores from; null for a boot. */
        Path restoreFrom;

        Handle handle(Instance i) {
            return new Handle(i, tap, vfio);
        }
    }

    public Path seedPath(String name) {
        return cfg.runtimeDir().resolve("cloudinit").resolve(name + "-seed.img");
    }

    /**
     * Builds the seed when cloud-init applies (control-plane.md §2.12); otherwise removes a previously recorded
     * seed file and returns null.
     */
    Seed prepareSeed(VmRow row, VmConfig config, CloudInitRow previous) {
        CloudInit ci = config.cloudInit();
        if (ci == null) {
            if (previous != null) {
                deleteQuietly(previous.seedPath());
            }
            return null;
        }
        Path dir = cfg.runtimeDir().resolve("cloudinit");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        } catch (IOException e) {
            throw new InternalException("prepare cloud-init: ensure seeds dir: " + e.getMessage(), e);
        }
        Path path = seedPath(row.name());
        SeedInput in = new SeedInput("volant-" + row.id(), Macs.hostname(row.name()), VmConfigs.content(ci.userData()),
                VmConfigs.content(ci.metaData()), VmConfigs.content(ci.networkConfig()));
        try {
            seeds.build(in, path);
        } catch (SeedException e) {
            throw new InternalException("cloud-init build: " + e.getMessage(), e);
        }
        if (previous != null && !previous.seedPath().isEmpty() && !previous.seedPath().equals(path.toString())) {
            deleteQuietly(previous.seedPath());
        }
        return new Seed(path, new CloudInitRow(row.id(), in.userData(), in.metaData(), in.networkConfig(), path.toString()));
    }

    /**
     * Tap, VFIO and launch (or restore, see {@link Acquired#restoreFrom}); everything acquired is recorded in
     * {@code a} before the next step, and {@code started} hears the hypervisor's pid as soon as it exists.
     */
    Instance launch(VmRow row, VmConfig config, Acquired a, io.volant.volantd.hypervisor.ProcessStarted started) {
        Manifest m = config.manifest();
        NetworkConfig net = VmConfigs.effectiveNetwork(config.network(), m);
        RootFs rootfs = m.rootfs();
        if (config.rootfs() != null && !config.rootfs().url().isBlank()) {
            rootfs = new RootFs(config.rootfs().url(), config.rootfs().checksum(), m.rootfs().format());
        }
        String initramfs = m.initramfs().url();
        String initramfsChecksum = m.initramfs().checksum();
        if (config.initramfs() != null && !config.initramfs().url().isBlank()) {
            initramfs = config.initramfs().url();
            initramfsChecksum = config.initramfs().checksum();
        }
        String format = rootfs.format().trim().toLowerCase(java.util.Locale.ROOT);
        HostPort endpoint = LaunchSpecs.guestEndpoint(config.api(), cfg);
        var args = LaunchSpecs.args(config, m, endpoint, rootfs, row.kernelCmdline());
        KernelCommandLine.checkFits(row.kernelCmdline(), args);

        List<String> devices = passthroughDevices(config);
        List<String> paths = List.of();
        if (!devices.isEmpty()) {
            DeviceConfig dc = config.devices() != null ? config.devices() : m.devices();
            try {
                vfio.validateDevices(devices, dc.allowlist());
            } catch (VfioException e) {
                throw new InvalidArgumentException("device validation failed: " + e.getMessage(), e);
            }
            try {
                vfio.bindDevices(devices);
            } catch (VfioException e) {
                throw new InternalException("device binding failed: " + e.getMessage(), e);
            }
            a.vfio = devices;
            try {
                paths = vfio.groupPaths(devices);
            } catch (VfioException e) {
                throw new InternalException("get vfio group paths: " + e.getMessage(), e);
            }
        }
        if (VmConfigs.needsTap(net)) {
            a.tap = this.net.prepareTap(row.name(), row.macAddress());
        }
        List<LaunchSpec.Disk> disks = new ArrayList<>();
        for (io.volant.manifest.Disk d : m.disks()) {
            if (!d.source().isBlank()) {
                disks.add(new LaunchSpec.Disk(d.name(), d.source().trim(), d.checksum(),
                        MediaStager.diskFormat(d.format()), d.readonly()));
            }
        }
        LaunchSpec.Disk seed = a.seed == null ? null
                : new LaunchSpec.Disk("seed", a.seed.path().toString(), "", LaunchSpec.FORMAT_RAW, true);
        String serial = cfg.runtimeDir().resolve(row.name() + ".serial").toAbsolutePath().toString();
        LaunchSpec spec = LaunchSpec.builder().name(row.name())
                .cpuCores(config.resources().cpuCores()).memoryMb(config.resources().memoryMb())
                .kernelCmdline(row.kernelCmdline()).kernelOverride(config.kernelOverride()).args(args)
                .tapDevice(a.tap).macAddress(row.macAddress()).ipAddress(row.ipAddress() == null ? "" : row.ipAddress())
                .gateway(cfg.hostIp()).netmask(cfg.netmask()).vsockCid(row.vsockCid())
                .rootfs(rootfs.url()).rootfsChecksum(rootfs.checksum()).rootfsFormat(MediaStager.diskFormat(format))
                .initramfs(initramfs).initramfsChecksum(initramfsChecksum)
                .serialSocket(serial).disks(disks).seedDisk(seed).vfioDevicePaths(paths).build();
        a.instance = a.restoreFrom != null ? launcher.restore(spec, a.restoreFrom, started)
                : templates.launch(new TemplateManager.Launch(spec, row.groupId(), row.groupRevision(),
                        config.templateAllowed()), started);
        return a.instance;
    }

    String serialPath(Instance i) {
        return i.serialSocket() == null ? null : i.serialSocket().toAbsolutePath().toString();
    }

    /** Releases what a failed create/start acquired, in reverse order; failures are logged, never fatal. */
    void release(String name, Acquired a, boolean removeSeed) {
        if (a.routesApplied) {
            routes.release(name);
        } else {
            routes.cancel(a.routes);
        }
        if (a.instance != null) {
            try {
                a.instance.stop(Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("instance stop failed vm={} error={}", name, e.getMessage());
            }
        }
        cleanupTap(a.tap);
        unbind(name, a.vfio);
        if (removeSeed && a.seed != null) {
            deleteQuietly(a.seed.path().toString());
        }
    }

    /**
     * Stops the instance (idempotent; only releases when it already exited), then tap, VFIO and the Drift routes the
     * VM owns.
     *
     * @return the Drift route keys released (a deployment's controller may hand them to another member)
     */
    List<String> stopAndRelease(String name, Handle h, Duration grace) {
        try {
            h.instance().stop(grace);
        } catch (RuntimeException e) {
            log.warn("instance stop failed vm={} error={}", name, e.getMessage());
        }
        cleanupTap(h.tap());
        unbind(name, h.vfio());
        return routes.release(name);
    }

    /** The Drift routes of the VMs (control-plane.md §9). */
    VmRoutes routes() {
        return routes;
    }

    void cleanupTap(String tap) {
        if (tap == null || tap.isEmpty()) {
            return;
        }
        try {
            net.cleanupTap(tap);
        } catch (RuntimeException e) {
            log.warn("tap cleanup failed tap={} error={}", tap, e.getMessage());
        }
    }

    /** The taps that exist now (see {@link NetworkManager#listTaps}); empty, logged, when the host cannot say. */
    List<String> listTaps() {
        try {
            return net.listTaps();
        } catch (RuntimeException e) {
            log.warn("tap listing failed error={}", e.getMessage());
            return List.of();
        }
    }

    String tapNameFor(String name) {
        return net.tapName(name);
    }

    void unbind(String name, List<String> devices) {
        if (devices == null || devices.isEmpty()) {
            return;
        }
        try {
            vfio.unbindDevices(devices);
        } catch (RuntimeException e) {
            log.warn("vfio unbind failed vm={} devices={} error={}", name, devices, e.getMessage());
        }
    }

    /** Removes the recorded seed and the deterministic seed path of {@code name}. */
    void removeSeed(String name, String recorded) {
        if (recorded != null && !recorded.isEmpty()) {
            deleteQuietly(recorded);
        }
        deleteQuietly(seedPath(name).toString());
    }

    void releaseIp(Tx tx, String ip) throws SQLException {
        tx.ips().releaseOrDrop(ip, pool);
    }

    Set<String> pool() {
        return pool;
    }

    Launcher launcher() {
        return launcher;
    }

    /** The saved states of suspended VMs under {@code <data_dir>/suspended}. */
    public SavedStates states() {
        return states;
    }

    List<String> passthroughDevices(VmConfig c) {
        if (c == null) {
            return List.of();
        }
        DeviceConfig d = c.devices() != null ? c.devices() : c.manifest() == null ? null : c.manifest().devices();
        return d == null ? List.of() : d.pciPassthrough();
    }

    private static void deleteQuietly(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException | RuntimeException e) {
            log.warn("remove file failed path={} error={}", path, e.getMessage());
        }
    }

    /** Maps a failure to its error kind (control-plane.md §2.9). */
    static VolantException classify(RuntimeException e) {
        if (e instanceof VolantException v) {
            return v;
        }
        if (e instanceof HypervisorException || e instanceof NetworkException || e instanceof VfioException) {
            return new InternalException(e.getMessage(), e);
        }
        return new InternalException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
}
