package io.volant.volantd.hypervisor;

import io.volant.hostsetup.HostBootstrap;
import io.volant.hostsetup.HostCommands;
import io.volant.volantd.cloudinit.FatSeedBuilder;
import io.volant.volantd.cloudinit.SeedBuilder;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.hypervisor.cloudhypervisor.ChLauncher;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.KernelRelease;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.media.ModuleArchive;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.hypervisor.qemu.KvmProbe;
import io.volant.volantd.hypervisor.qemu.QemuLauncher;
import io.volant.volantd.hypervisor.qemu.QemuOptions;
import io.volant.volantd.network.CommandRunner;
import io.volant.volantd.network.NetworkManager;
import io.volant.volantd.network.PortForwarding;
import io.volant.volantd.network.nft.NftPortForwarding;
import io.volant.volantd.network.bridge.BridgeNetworkManager;
import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.vfio.SysfsVfioManager;
import io.volant.volantd.vfio.VfioManager;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the real host runtime from the configuration (host-runtime.md §9.1): backend and accelerator selection,
 * the launcher, the bridge network manager, the seed builder, the VFIO manager and the console hub. The only place
 * that knows every host-runtime implementation; {@code Volantd} calls {@link #create} for non-simulated backends.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    /** Environment variable naming the network namespace volantd keeps its taps and hypervisors in (EXTENSION). */
    public static final String NETNS_ENV = "VOLANT_NETNS";

    private Backends() {}

    /** Everything the engine needs from the host. */
    public record HostRuntime(Launcher launcher, NetworkManager network, SeedBuilder seeds, VfioManager vfio,
            ConsoleHub console, String backend, String accel, PortForwarding forwarding) {}

    /** The outcome of §9.1 selection. */
    public record Selection(String backend, String accel, String binary) {}

    /**
     * §9.1 as a pure function.
     *
     * @param kvmUsable whether {@code /dev/kvm} opens read-write
     * @param chBinary  the resolved CH binary, empty when not found
     * @param qemuBinary the resolved QEMU binary, empty when not found
     * @throws ConfigException with the spec's startup messages
     */
    public static Selection select(VolantdConfig c, boolean kvmUsable, Optional<Path> chBinary,
            Optional<Path> qemuBinary) {
        String backend = c.runtimeBackend();
        if ("auto".equals(backend)) {
            if (kvmUsable && chBinary.isPresent()) {
                backend = "cloud-hypervisor";
            } else if (qemuBinary.isPresent()) {
                backend = "qemu";
            } else {
                throw new ConfigException("no usable hypervisor: cloud-hypervisor needs /dev/kvm and "
                        + c.hypervisor() + "; qemu binary " + c.qemuBinary() + " not found");
            }
        }
        return switch (backend) {
            case "cloud-hypervisor" -> {
                if (!kvmUsable) {
                    throw new ConfigException("cloud-hypervisor backend requires /dev/kvm");
                }
                yield new Selection(backend, "kvm", chBinary.map(Path::toString).orElse(c.hypervisor()));
            }
            case "qemu" -> {
                String accel = switch (c.qemuAccel()) {
                    case "kvm" -> {
                        if (!kvmUsable) {
                            throw new ConfigException("VOLANT_QEMU_ACCEL=kvm requires /dev/kvm");
                        }
                        yield "kvm";
                    }
                    case "tcg" -> "tcg";
                    default -> kvmUsable ? "kvm" : "tcg";
                };
                yield new Selection(backend, accel, qemuBinary.map(Path::toString).orElse(c.qemuBinary()));
            }
            default -> new Selection(backend, "", "");
        };
    }

    /** Selects the backend on this host and builds the runtime. Not for {@code simulated}. */
    public static HostRuntime create(VolantdConfig c, Map<String, String> env) {
        Optional<Path> qemuBinary = which(c.qemuBinary(), env);
        boolean kvm = devUsable(Path.of("/dev/kvm")) && kvmWorks(qemuBinary);
        Selection s = select(c, kvm, which(c.hypervisor(), env), qemuBinary);
        String version = version(s.binary());
        LOG.info("runtime backend selected backend={} accel={} binary={} version=\"{}\"", s.backend(), s.accel(),
                s.binary(), version);
        String netns = env.getOrDefault(NETNS_ENV, "").trim();
        ConsoleHub hub = new ConsoleHub();
        MediaStager stager = new MediaStager(mediaSettings(c), new ArtifactStore(c.cacheDir(),
                c.artifactRoots().stream().map(Path::of).toList()));
        HostEnv hostEnv = new HostEnv(c.runtimeDir(), c.logDir(), netns, stager, hub);
        if (c.agentImage() == null) {
            LOG.warn("no agent image: VMs get no agent disk, their boot media must bring kestrel (set "
                    + "VOLANT_AGENT_IMAGE, or build build/agent-bundle.img with scripts/build.sh)");
        } else {
            LOG.info("agent image path={}", c.agentImage());
        }
        Launcher launcher = switch (s.backend()) {
            case "cloud-hypervisor" -> new ChLauncher(s.binary(), hostEnv);
            case "qemu" -> new QemuLauncher(new QemuOptions(s.binary(), c.qemuMachine(), "kvm".equals(s.accel()),
                    devUsable(Path.of("/dev/vhost-net")), "kvm".equals(s.accel())
                            && devUsable(Path.of("/dev/vhost-vsock"))), hostEnv);
            default -> throw new ConfigException("backend " + s.backend() + " is not a host backend");
        };
        ProcessCommandRunner runner = new ProcessCommandRunner(netns);
        if (c.hostBootstrap() && "root".equals(System.getProperty("user.name"))) {
            bootstrap(c, runner);
        }
        NetworkManager net = new BridgeNetworkManager(c.bridge(), runner);
        return new HostRuntime(launcher, net, new FatSeedBuilder(), new SysfsVfioManager(Path.of("/sys"),
                Path.of("/dev/vfio")), hub, s.backend(), s.accel(),
                new NftPortForwarding(runner, c.bridge(), c.subnet().toString()));
    }

    /** §4.7 Chosen: re-run steps 6-8 at startup; a failure is a warning, not a startup error. */
    private static void bootstrap(VolantdConfig c, ProcessCommandRunner runner) {
        try {
            String cidr = c.hostIp() + "/" + c.subnet().prefix();
            new HostBootstrap(hostCommands(runner)).apply(c.bridge(), c.subnet().toString(), cidr);
        } catch (RuntimeException e) {
            LOG.warn("host bootstrap failed bridge={} err={}", c.bridge(), e.getMessage());
        }
    }

    /** The shared host-setup module's view of volantd's (possibly namespaced) command runner. */
    public static HostCommands hostCommands(CommandRunner runner) {
        return (argv, timeout) -> {
            CommandRunner.Result r = runner.run(argv, timeout);
            return new HostCommands.Result(r.exitCode(), r.stdout(), r.stderr());
        };
    }

    /** {@link #mediaSettings} for tests in other packages. */
    public static MediaSettings mediaSettingsForTest(VolantdConfig c) {
        return mediaSettings(c);
    }

    /** Kernels, guest kernel bundle and base initramfs (§3.2, §9.6), with the bundle's release check. */
    static MediaSettings mediaSettings(VolantdConfig c) {
        Path guestKernel = c.guestKernel().isBlank() ? null : Path.of(c.guestKernel());
        Path archive = null;
        if (!c.guestModulesDir().isBlank()) {
            Path modules = Path.of(c.guestModulesDir()).toAbsolutePath().normalize();
            String release = modules.getFileName().toString();
            if (guestKernel != null) {
                try {
                    Optional<String> kr = KernelRelease.of(guestKernel);
                    if (kr.isEmpty()) {
                        LOG.warn("guest kernel is not a bzImage, module release check skipped kernel={}", guestKernel);
                    } else if (!kr.get().equals(release)) {
                        throw new ConfigException("guest modules " + release + " do not match kernel release "
                                + kr.get());
                    }
                } catch (IOException e) {
                    throw new ConfigException("read guest kernel " + guestKernel + ": " + e.getMessage());
                }
            }
            List<String> names = c.guestModules().isEmpty() ? ModuleArchive.DEFAULT_MODULES : c.guestModules();
            archive = ModuleArchive.build(modules, names, c.cacheDir());
        }
        Path base = c.baseInitramfs().isBlank() ? null : Path.of(c.baseInitramfs());
        return new MediaSettings(c.kernelBzImage(), c.kernelVmlinux(), guestKernel, archive, base, c.agentImage());
    }

    /** A bare name is looked up on PATH; a path must be executable. */
    public static Optional<Path> which(String binary, Map<String, String> env) {
        if (binary == null || binary.isBlank()) {
            return Optional.empty();
        }
        if (binary.contains("/")) {
            Path p = Path.of(binary);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return Optional.of(Path.of(dir, binary));
            }
        }
        return Optional.empty();
    }

    /** A {@code /dev/kvm} that opens may still fail at vCPU setup; probe with QEMU when it is installed. */
    private static boolean kvmWorks(Optional<Path> qemuBinary) {
        if (qemuBinary.isEmpty()) {
            return true;
        }
        Optional<String> failure = KvmProbe.failure(qemuBinary.get());
        failure.ifPresent(why -> LOG.warn("kvm unusable, falling back to software emulation reason=\"{}\"", why));
        return failure.isEmpty();
    }

    static boolean devUsable(Path dev) {
        try (RandomAccessFile f = new RandomAccessFile(dev.toFile(), "rw")) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** First line of {@code <bin> --version}, "" when it cannot be run. */
    static String version(String binary) {
        try {
            Process p = new ProcessBuilder(List.of(binary, "--version")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("").trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
