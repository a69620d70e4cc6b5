package io.volant.volantd.hypervisor.template;

import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Templates on the simulated backend: real files under {@code <runtime>/templates} (so garbage collection and
 * restart adoption have something to find), clones are simulated instances, and failure knobs make a template
 * capture or a clone's identity step fail. Thread-safe.
 */
public final class SimulatedTemplating implements Templating {
    private final SimulatedLauncher launcher;
    private final Path dir;
    private final AtomicInteger captureFailures = new AtomicInteger();
    private final AtomicInteger identityFailures = new AtomicInteger();
    private final AtomicInteger captures = new AtomicInteger();
    private final List<String> clones = new ArrayList<>();

    public SimulatedTemplating(SimulatedLauncher launcher, Path runtimeDir) {
        this.launcher = launcher;
        this.dir = runtimeDir.resolve("templates");
    }

    @Override
    public TemplateImage capture(String name, LaunchSpec spec, Duration warmTimeout) {
        if (take(captureFailures)) {
            throw new HypervisorException("simulated: template " + name + " sent no warm within " + warmTimeout);
        }
        LaunchSpec tpl = spec.withArg(TEMPLATE_ARG, "1");
        Path ram = dir.resolve(name + ".ram");
        Path state = dir.resolve(name + ".state");
        try {
            Files.createDirectories(dir);
            Files.writeString(ram, "simulated RAM of " + name + " (" + spec.memoryMb() + " MiB)\n");
            Files.writeString(state, "simulated device state of " + name + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HypervisorException("simulated: template " + name + ": " + e.getMessage(), e);
        }
        captures.incrementAndGet();
        return new TemplateImage(name, launcher.backend(), tpl, ram, state, ram, null, "", List.of(ram, state));
    }

    @Override
    public Instance clone(TemplateImage image, LaunchSpec clone, Duration timeout,
                          io.volant.volantd.hypervisor.ProcessStarted started) {
        if (!Files.exists(image.ram()) || !Files.exists(image.state())) {
            throw new HypervisorException("simulated: template " + image.name() + " has lost its RAM or state file");
        }
        Instance inst = launcher.launch(clone, started);
        if (take(identityFailures)) {
            inst.stop(Duration.ZERO);
            throw new CloneException("clone " + clone.name() + " failed to apply its identity: simulated failure");
        }
        synchronized (clones) {
            clones.add(clone.name());
        }
        return inst;
    }

    @Override
    public void discard(TemplateImage image) {
        for (Path f : image.files()) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new HypervisorException("simulated: discard " + f + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void abandon(String name) {
        Templates.removeFilesOf(dir, name);
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public String fingerprint() {
        return "simulated";
    }

    /** The next {@code count} captures fail (no {@code warm}). */
    public void failNextCaptures(int count) {
        captureFailures.addAndGet(count);
    }

    /** The next {@code count} clones fail their identity step. */
    public void failNextIdentities(int count) {
        identityFailures.addAndGet(count);
    }

    /** Templates captured so far. */
    public int captures() {
        return captures.get();
    }

    /** Names of the clones started successfully, in order. */
    public List<String> clones() {
        synchronized (clones) {
            return List.copyOf(clones);
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
