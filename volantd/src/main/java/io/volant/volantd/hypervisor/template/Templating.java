package io.volant.volantd.hypervisor.template;

import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import java.time.Duration;

/**
 * A launcher's template support (docs/templates.md): capture a warm guest once, start clones of it. QEMU implements
 * it with a shared RAM file and device-state migration; the simulated backend with bookkeeping and failure knobs;
 * another backend plugs in by implementing it. Implementations are thread-safe.
 */
public interface Templating {
    /** The kernel argument that makes a guest a template: it warms up, says {@code warm} and waits for identity. */
    String TEMPLATE_ARG = "volant.template";

    /**
     * Boots {@code spec} as a template ({@code volant.template=1}), waits up to {@code warmTimeout} for the guest's
     * {@code warm} message, pauses it, saves its device state and stops the template process. Blocking.
     * On failure nothing is left (process, files).
     *
     * @param name the template name; its files are named after it
     * @throws io.volant.volantd.hypervisor.HypervisorException when the template could not be made
     */
    TemplateImage capture(String name, LaunchSpec spec, Duration warmTimeout);

    /**
     * Starts {@code clone} (its name, tap and sockets; everything guest-visible comes from the image) as a clone of
     * {@code image}, resumes it, sends the clone's {@link Identity} (derived from {@code clone}: the command line a
     * cold boot of it would have, its MAC, its name as hostname) and waits up to {@code timeout} for {@code applied}.
     * On failure the clone is stopped and nothing of it is left.
     *
     * @throws CloneException when the guest reported {@code failed} or did not answer in time
     * @param started hears the clone's pid as soon as its process exists
     * @throws io.volant.volantd.hypervisor.HypervisorException when the clone could not be started or restored
     */
    Instance clone(TemplateImage image, LaunchSpec clone, Duration timeout,
                   io.volant.volantd.hypervisor.ProcessStarted started);

    /** {@link #clone(TemplateImage, LaunchSpec, Duration, io.volant.volantd.hypervisor.ProcessStarted)}, pid untold. */
    default Instance clone(TemplateImage image, LaunchSpec clone, Duration timeout) {
        return clone(image, clone, timeout, io.volant.volantd.hypervisor.ProcessStarted.NONE);
    }

    /** Removes the image's files. Idempotent. */
    void discard(TemplateImage image);

    /**
     * Clean-up after a crash during {@link #capture} (volantd restart): kills a template process of {@code name} that
     * is still running (recognised by its own socket path in its argv) and removes every file of {@code name}.
     * Idempotent.
     */
    void abandon(String name);

    /** Files of templates this backend keeps ({@code <runtime>/templates}), for orphan clean-up at startup. */
    java.nio.file.Path directory();

    /** What of the backend itself makes guests differ (binary, machine, accelerator, default kernel); part of the key. */
    default String fingerprint() {
        return "";
    }

    /** Why {@code spec} cannot be a template on this backend, or empty when it can. */
    default java.util.Optional<String> unsupported(LaunchSpec spec) {
        return java.util.Optional.empty();
    }
}
