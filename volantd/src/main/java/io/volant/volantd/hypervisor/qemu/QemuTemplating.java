package io.volant.volantd.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU templates (docs/templates.md): the template boots with its RAM in a shared file under
 * {@code <runtime>/templates}, is paused once its agent says {@code warm}, and only its device state is saved
 * ({@code x-ignore-shared}); a clone maps that file copy-on-write, loads the state, resumes and gets its identity on
 * the {@code io.volant.identity} port.
 */
final class QemuTemplating extends HostTemplating {
    private static final Logger LOG = LoggerFactory.getLogger(QemuTemplating.class);
    private static final Duration MIGRATION = Duration.ofSeconds(120);

    private final QemuLauncher launcher;

    QemuTemplating(QemuLauncher launcher) {
        super(launcher.env(), Clock.systemUTC());
        this.launcher = launcher;
    }

    @Override
    public Optional<String> unsupported(LaunchSpec spec) {
        if (launcher.options().vhostVsock()) {
            return Optional.of("vhost-vsock's guest CID is a device property frozen in the template");
        }
        if (spec.tapDevice().isBlank()) {
            return Optional.of("the qemu backend needs a tap network for clones");
        }
        return Optional.empty();
    }

    @Override
    public TemplateImage capture(String name, LaunchSpec spec, Duration warmTimeout) {
        checkSupported("qemu", spec);
        HostPaths paths = new HostPaths(dir(), launcher.env().logDir(), name);
        LaunchSpec tpl = spec.withArg(Templating.TEMPLATE_ARG, "1");
        Path ram = dir().resolve(name + ".ram");
        Path state = dir().resolve(name + ".state");
        List<Path> files = new ArrayList<>(List.of(ram, state));
        QemuLauncher.QemuInstance inst = null;
        try {
            StagedMedia media = launcher.env().stager().stage(tpl, paths);
            files.addAll(media.files());
            long t0 = System.nanoTime();
            inst = launcher.start(tpl, paths, media, List.of(), QemuArgv.Boot.template(ram),
                    io.volant.volantd.hypervisor.ProcessStarted.NONE);
            QemuLauncher.QemuInstance running = inst;
            long warmMs;
            // The host end stays connected until the state is saved: a guest blocked reading the port would see a
            // disconnect as end-of-file, and clones must resume with the port connected.
            try (IdentityPort port = IdentityPort.connect(paths.identitySocket(), Templates.PORT_CONNECT,
                    () -> running.exit().isDone())) {
                Optional<JsonNode> warm = port.await(Set.of("warm"), warmTimeout);
                if (warm.isEmpty()) {
                    throw new HypervisorException("qemu: template " + name + " sent no warm within " + warmTimeout
                            + (running.exit().isDone() ? " (QEMU exited)" : ""));
                }
                warmMs = (System.nanoTime() - t0) / 1_000_000;
                QemuMigration m = new QemuMigration(inst.qmp());
                m.setCapabilities(Map.of(QemuMigration.IGNORE_SHARED, true));
                m.stop();
                m.saveTo(state, MIGRATION);
            }
            inst.stop(Duration.ZERO);
            files.removeIf(f -> !Files.exists(f)); // staging's intermediate files are gone already
            LOG.info("template captured template={} warm_ms={} state_bytes={}", name, warmMs, Files.size(state));
            return new TemplateImage(name, launcher.backend(), tpl, ram, state, media.kernel(), media.initramfs(),
                    media.cmdline(), files);
        } catch (IOException | RuntimeException e) {
            if (inst != null) {
                Templates.stopQuietly(inst);
            }
            MediaStager.removeAll(files);
            String msg = e.getMessage() + QemuLauncher.logTail(paths.hypervisorLog());
            throw e instanceof HypervisorException h && inst == null ? h : new HypervisorException(msg, e);
        }
    }

    @Override
    public Instance clone(TemplateImage image, LaunchSpec clone, Duration timeout,
                          io.volant.volantd.hypervisor.ProcessStarted started) {
        if (!image.intact()) {
            throw new HypervisorException("qemu: template " + image.name() + " has lost its RAM, state or boot files");
        }
        HostPaths paths = new HostPaths(launcher.env().runtimeDir(), launcher.env().logDir(), clone.name());
        LaunchSpec spec = image.spec().asClone(clone.name(), clone.tapDevice(), clone.serialSocket());
        StagedMedia media = cloneMedia(image);
        Identity identity = Templates.identityOf(clone, image.kernel());
        long t0 = System.nanoTime();
        QemuLauncher.QemuInstance inst = launcher.start(spec, paths, media, List.of(), QemuArgv.Boot.clone(image.ram()),
                started);
        long[] phases = {System.nanoTime(), 0}; // QMP connected, resumed
        // The migration runs with the port connected: the guest resumes reading it and must not see it closed.
        Instance identified = identify(inst, paths.identitySocket(), identity, () -> {}, () -> {
            QemuMigration m = new QemuMigration(inst.qmp());
            m.setCapabilities(Map.of(QemuMigration.IGNORE_SHARED, true));
            m.restoreFrom(image.state(), MIGRATION);
            m.cont();
            phases[1] = System.nanoTime();
        }, timeout);
        // Where a clone's start goes, host side: QEMU up to QMP, the device state loaded and resumed, the guest's
        // identity step (its own account is kestrel's "identity applied ... steps_ms").
        LOG.info("clone resumed vm={} launch_ms={} restore_ms={} identity_ms={}", clone.name(),
                (phases[0] - t0) / 1_000_000, (phases[1] - phases[0]) / 1_000_000,
                (System.nanoTime() - phases[1]) / 1_000_000);
        return identified;
    }

    /**
     * A clone's media: the template's staged kernel and initramfs, its command line (frozen in its RAM) and the agent
     * disk. The disk is the launcher's current one: its digest is in the template key, so it is the template's.
     */
    StagedMedia cloneMedia(TemplateImage image) {
        return new StagedMedia(image.kernel(), image.initramfs(), null, LaunchSpec.FORMAT_RAW, List.of(), null,
                launcher.env().stager().agentImage().orElse(null), image.cmdline(), List.of());
    }

    @Override
    public void abandon(String name) {
        Templates.killLeftover(name, new HostPaths(dir(), launcher.env().logDir(), name).qmpSocket());
        Templates.removeFilesOf(dir(), name);
    }

    @Override
    public String fingerprint() {
        return fingerprint("qemu " + launcher.options());
    }
}
