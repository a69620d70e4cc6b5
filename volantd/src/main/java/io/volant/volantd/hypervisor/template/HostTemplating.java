package io.volant.volantd.hypervisor.template;

import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HostEnv;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the host backends' {@link Templating}s share: their directory under the runtime dir, discarding an image by
 * its files, the fingerprint's kernel stamp, and the clone's identity step with one clock and nonce source.
 */
public abstract class HostTemplating implements Templating {
    private final HostEnv env;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    protected HostTemplating(HostEnv env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    /** Where templates live: a directory of their own, so their names never meet a VM's files. */
    protected final Path dir() {
        return env.runtimeDir().resolve("templates");
    }

    @Override
    public final Path directory() {
        return dir();
    }

    @Override
    public final void discard(TemplateImage image) {
        MediaStager.removeAll(image.files());
    }

    /** Refuses a template for {@code spec} when {@link #unsupported} names a reason, prefixed with {@code backend}. */
    protected final void checkSupported(String backend, LaunchSpec spec) {
        Optional<String> why = unsupported(spec);
        if (why.isPresent()) {
            throw new HypervisorException(backend + ": no template for vm " + spec.name() + ": " + why.get());
        }
    }

    /** {@code backend} (binary, machine, accelerator) plus the default kernel's and the agent image's stamps. */
    protected final String fingerprint(String backend) {
        return backend + " kernel=" + Templates.stamp(env.stager().chooseKernel("").source())
                + Templates.agentStamp(env.stager());
    }

    /** {@link Templates#identify} with this backend's clock and nonce source. */
    protected final <I extends Instance> I identify(I inst, Path identitySocket, Identity identity, Runnable beforePort,
            Runnable withPort, Duration timeout) {
        return Templates.identify(inst, identitySocket, identity, beforePort, withPort, clock, random, timeout);
    }
}
