package io.volant.volantd.hypervisor.cloudhypervisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.media.StagedMedia;
import io.volant.volantd.hypervisor.template.Identity;
import io.volant.volantd.hypervisor.template.IdentityPort;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.hypervisor.template.Templates;
import io.volant.volantd.hypervisor.template.HostTemplating;
import io.volant.volantd.hypervisor.template.Templating;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud Hypervisor templates (docs/templates.md, "Cloud Hypervisor"): the template boots with the identity channel
 * on a virtio-console socket ({@code --console socket=<dir>/<name>.ident}, the guest's {@code hvc0}: CH has no
 * named virtio-serial ports), says {@code warm}, is paused and snapshotted ({@code vm.snapshot}: config, device
 * state, {@code memory-ranges}). A clone gets a restore directory with the snapshot's state and memory linked in and
 * a {@code config.json} rewritten to the clone's host-side names (tap, serial, console and vsock sockets), starts
 * with {@code --restore}, {@code vm.resume}s and receives its identity. CH's restore copies {@code memory-ranges}
 * into the clone's own RAM, so clones share no memory with the template (unlike QEMU's copy-on-write mapping).
 */
public final class ChTemplating extends HostTemplating {
    private static final Logger LOG = LoggerFactory.getLogger(ChTemplating.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SNAPSHOT_FILES = List.of("config.json", "state.json", "memory-ranges");

    private final ChLauncher launcher;

    public ChTemplating(ChLauncher launcher, Clock clock) {
        super(launcher.env(), clock);
        this.launcher = launcher;
    }

    @Override
    public Optional<String> unsupported(LaunchSpec spec) {
        if (spec.tapDevice().isBlank()) {
            return Optional.of("cloud-hypervisor clones need a tap network");
        }
        if (!spec.vfioDevicePaths().isEmpty()) {
            return Optional.of("cloud-hypervisor snapshots leave VFIO devices out");
        }
        // The snapshot's config names the template's disk files: every clone would write the same rootfs copy, and
        // the seed is one VM's cloud-init data.
        if (!spec.rootfs().isBlank() || spec.disks().stream().anyMatch(d -> !d.readonly())) {
            return Optional.of("clones would share a writable disk");
        }
        if (spec.seedDisk() != null) {
            return Optional.of("the cloud-init seed is a per-VM disk");
        }
        return Optional.empty();
    }

    @Override
    public TemplateImage capture(String name, LaunchSpec spec, Duration warmTimeout) {
        checkSupported("cloudhypervisor", spec);
        HostPaths paths = launcher.prepareSockets(dir(), name);
        HostPaths.checkSocket(paths.identitySocket());
        deleteIfExists(paths.identitySocket());
        LaunchSpec tpl = spec.withArg(Templating.TEMPLATE_ARG, "1");
        Path snapshot = dir().resolve(name + ".snapshot");
        List<Path> files = new ArrayList<>();
        ChLauncher.ChInstance inst = null;
        try {
            StagedMedia media = launcher.env().stager().stage(tpl, paths);
            files.addAll(media.files());
            List<String> argv = withIdentityConsole(ChArgv.build(launcher.binary(), tpl, paths, media),
                    paths.identitySocket());
            inst = launcher.start(name, argv, paths, List.of(paths.identitySocket()),
                    io.volant.volantd.hypervisor.ProcessStarted.NONE);
            ChLauncher.ChInstance running = inst;
            try (IdentityPort port = IdentityPort.connect(paths.identitySocket(), Templates.PORT_CONNECT,
                    () -> running.exit().isDone())) {
                if (port.await(Set.of("warm"), warmTimeout).isEmpty()) {
                    throw new HypervisorException("cloudhypervisor: template " + name + " sent no warm within "
                            + warmTimeout + (running.exit().isDone() ? " (cloud-hypervisor exited)" : ""));
                }
            }
            ChApiClient api = new ChApiClient(paths.apiSocket());
            api.call("vm.pause", null);
            Files.createDirectories(snapshot);
            SNAPSHOT_FILES.forEach(f -> files.add(snapshot.resolve(f)));
            files.add(snapshot); // after its files: removal goes in order
            api.call("vm.snapshot", "{\"destination_url\":\"file://" + snapshot + "\"}");
            inst.stop(Duration.ZERO);
            LOG.info("template captured template={} backend=cloud-hypervisor", name);
            return new TemplateImage(name, launcher.backend(), tpl, snapshot.resolve("memory-ranges"),
                    snapshot.resolve("state.json"), media.kernel(), media.initramfs(), media.cmdline(), files);
        } catch (IOException | RuntimeException e) {
            if (inst != null) {
                Templates.stopQuietly(inst);
            }
            MediaStager.removeAll(files);
            throw e instanceof HypervisorException h ? h
                    : new HypervisorException("cloudhypervisor: template " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Instance clone(TemplateImage image, LaunchSpec clone, Duration timeout,
                          io.volant.volantd.hypervisor.ProcessStarted started) {
        Path snapshot = image.state().getParent();
        for (String f : SNAPSHOT_FILES) {
            if (!Files.isRegularFile(snapshot.resolve(f))) {
                throw new HypervisorException("cloudhypervisor: template " + image.name() + " has lost " + f);
            }
        }
        HostPaths paths = launcher.prepareSockets(clone.name());
        HostPaths.checkSocket(paths.identitySocket());
        deleteIfExists(paths.identitySocket());
        Path restore = launcher.env().runtimeDir().resolve(clone.name() + ".restore");
        List<Path> owned = new ArrayList<>();
        SNAPSHOT_FILES.forEach(f -> owned.add(restore.resolve(f)));
        owned.add(restore);
        owned.add(paths.identitySocket());
        Identity identity = Templates.identityOf(clone, image.kernel());
        try {
            prepareRestore(snapshot, restore, clone, paths);
        } catch (IOException | RuntimeException e) {
            MediaStager.removeAll(owned);
            throw new HypervisorException("cloudhypervisor: clone " + clone.name() + ": " + e.getMessage(), e);
        }
        ChLauncher.ChInstance inst = launcher.start(clone.name(), ChArgv.restore(launcher.binary(), paths, restore),
                paths, owned, started);
        return identify(inst, paths.identitySocket(), identity,
                () -> ChSuspend.resume(new ChApiClient(paths.apiSocket()), clone.name(), inst.exit(), ChSuspend.RESTORE),
                () -> {}, timeout);
    }

    /** Kills a template CH left by a crash (its API socket in its argv), then removes its files and snapshot. */
    @Override
    public void abandon(String name) {
        Templates.killLeftover(name, new HostPaths(dir(), launcher.env().logDir(), name).apiSocket());
        Path snapshot = dir().resolve(name + ".snapshot");
        List<Path> files = new ArrayList<>();
        SNAPSHOT_FILES.forEach(f -> files.add(snapshot.resolve(f)));
        files.add(snapshot);
        MediaStager.removeAll(files);
        Templates.removeFilesOf(dir(), name);
    }

    @Override
    public String fingerprint() {
        return fingerprint("cloud-hypervisor " + launcher.binary());
    }

    /**
     * {@code <R>/<clone>.restore/}: the template's device state and memory hard-linked (copied across file
     * systems), and its config with the clone's tap and sockets; guest-visible values (MAC, CID, devices) stay.
     */
    static void prepareRestore(Path snapshot, Path restore, LaunchSpec clone, HostPaths paths) throws IOException {
        Files.createDirectories(restore);
        for (String f : List.of("state.json", "memory-ranges")) {
            Path dst = restore.resolve(f);
            Files.deleteIfExists(dst);
            try {
                Files.createLink(dst, snapshot.resolve(f));
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(snapshot.resolve(f), dst);
            }
        }
        ObjectNode config = (ObjectNode) JSON.readTree(snapshot.resolve("config.json").toFile());
        for (JsonNode net : config.path("net")) {
            ((ObjectNode) net).put("tap", clone.tapDevice());
        }
        setSocket(config, "serial", paths.serialSocket());
        setSocket(config, "console", paths.identitySocket());
        setSocket(config, "vsock", paths.vsockSocket());
        Files.writeString(restore.resolve("config.json"), JSON.writeValueAsString(config));
    }

    private static void setSocket(ObjectNode config, String device, Path socket) {
        if (config.get(device) instanceof ObjectNode d) {
            d.put("socket", socket.toString());
        }
    }

    /** The template's argv with the identity channel as its virtio-console. */
    static List<String> withIdentityConsole(List<String> argv, Path identity) {
        List<String> out = new ArrayList<>(argv);
        int i = out.indexOf("--console");
        out.set(i + 1, "socket=" + identity);
        return out;
    }

    private static void deleteIfExists(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new HypervisorException("cloudhypervisor: remove stale socket " + p + ": " + e.getMessage(), e);
        }
    }
}
