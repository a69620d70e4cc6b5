package io.volant.volantd.hypervisor.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.manifest.KernelCmdline;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.KernelCommandLine;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HypervisorProcess;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File helpers the template backends share. */
public final class Templates {
    private static final Logger LOG = LoggerFactory.getLogger(Templates.class);
    /** How long a backend waits for the guest's end of the identity channel to accept. */
    public static final Duration PORT_CONNECT = Duration.ofSeconds(10);

    private Templates() {}

    /** Removes every {@code <dir>/<name>.*}; failures are logged. */
    public static void removeFilesOf(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name + ".*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("template file clean-up failed template={} error={}", name, e.getMessage());
        }
    }

    /**
     * The identity of {@code clone}: the command line a cold boot of it would have (read against the template's
     * staged {@code kernel}, whose header bounds its length), its MAC, its name as hostname.
     */
    public static Identity identityOf(LaunchSpec clone, Path kernel) {
        try {
            return new Identity(KernelCommandLine.forKernel(clone, kernel), clone.macAddress(),
                    KernelCmdline.sanitizeHostname(clone.name()));
        } catch (IOException e) {
            throw new HypervisorException("clone " + clone.name() + ": read kernel: " + e.getMessage(), e);
        }
    }

    /**
     * The common end of a clone: {@code beforePort} runs first (a backend whose restore creates the identity socket
     * resumes here), then {@code withPort} with the identity port connected (a backend whose guest must never see
     * the port closed resumes here), then {@code identity} is sent and confirmed. Any failure stops {@code inst}.
     *
     * @return {@code inst}, running as the clone
     */
    public static <I extends Instance> I identify(I inst, Path identitySocket, Identity identity, Runnable beforePort,
            Runnable withPort, Clock clock, SecureRandom random, Duration timeout) {
        try {
            beforePort.run();
            try (IdentityPort port = IdentityPort.connect(identitySocket, PORT_CONNECT, () -> inst.exit().isDone())) {
                withPort.run();
                applyIdentity(port, identity, clock, random, inst, timeout);
            }
            return inst;
        } catch (RuntimeException e) {
            stopQuietly(inst);
            throw e;
        }
    }

    /**
     * Sends {@code identity} on {@code port} and waits up to {@code timeout} for {@code applied}.
     *
     * @throws CloneException when the guest answered {@code failed} or nothing in time ({@code inst} exited or not)
     */
    public static void applyIdentity(IdentityPort port, Identity identity, Clock clock, SecureRandom random,
            Instance inst, Duration timeout) {
        port.sendIdentity(identity, clock, random);
        Optional<JsonNode> answer = port.await(Set.of("applied", "failed"), timeout);
        if (answer.isEmpty()) {
            throw new CloneException("clone " + inst.name() + " did not apply its identity within " + timeout
                    + (inst.exit().isDone() ? " (its hypervisor exited)" : ""));
        }
        if ("failed".equals(answer.get().path("type").asText())) {
            throw new CloneException("clone " + inst.name() + " failed to apply its identity: "
                    + answer.get().path("error").asText("no reason given"));
        }
    }

    /** Kills (SIGKILL, waiting for the exit) every process whose command line contains {@code socket}. */
    public static void killLeftover(String template, Path socket) {
        String needle = socket.toString();
        ProcessHandle.allProcesses().filter(p -> HypervisorProcess.cmdlineContains(p.pid(), needle)).forEach(p -> {
            LOG.warn("killing template process left by a crash template={} pid={}", template, p.pid());
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /** Stops {@code inst} without grace; a failure is logged (the caller is already failing). */
    public static void stopQuietly(Instance inst) {
        try {
            inst.stop(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.warn("stop failed vm={} error={}", inst.name(), e.getMessage());
        }
    }

    /**
     * {@code " agent=<sha256>"} of the stager's agent disk, "" without one: for a backend's fingerprint, so a rebuilt
     * agent image makes new templates.
     */
    public static String agentStamp(MediaStager stager) {
        return stager.agentImage().map(a -> " agent=" + a.digest()).orElse("");
    }

    /** {@code path:size:mtime} of a local file (a rebuilt kernel or initramfs changes it), the path when absent. */
    public static String stamp(Path p) {
        try {
            return p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException | RuntimeException e) {
            return String.valueOf(p);
        }
    }
}
