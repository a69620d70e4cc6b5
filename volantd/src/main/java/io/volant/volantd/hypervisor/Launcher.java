package io.volant.volantd.hypervisor;

import io.volant.volantd.agent.AgentAccess;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts hypervisors (host-runtime.md §2.2). Backends: cloud-hypervisor, qemu, simulated.
 * Implementations must be thread-safe: the engine launches different VMs concurrently.
 */
public interface Launcher extends AutoCloseable {

    /** Backend name as in {@code VOLANT_RUNTIME_BACKEND}: {@code cloud-hypervisor}, {@code qemu}, {@code simulated}. */
    String backend();

    /**
     * Boots one VM. Blocking (staging, process start). On failure nothing is left running. {@code started} hears the
     * pid as soon as the process exists (backends without a process: when the instance exists).
     *
     * @throws HypervisorException when the launch failed
     */
    Instance launch(LaunchSpec spec, ProcessStarted started);

    /** {@link #launch(LaunchSpec, ProcessStarted)} with nobody told the pid early. */
    default Instance launch(LaunchSpec spec) {
        return launch(spec, ProcessStarted.NONE);
    }

    /**
     * Starts the VM of {@code spec} from the state an {@link Instance#suspend} wrote into {@code stateDir} instead
     * of booting it: same devices and identity, the guest running on where it was paused. Blocking; returns once the
     * guest runs. On failure nothing is left running and {@code stateDir} is untouched.
     *
     * @throws HypervisorException when the state is missing or unreadable, or the backend cannot restore
     */
    default Instance restore(LaunchSpec spec, Path stateDir, ProcessStarted started) {
        throw new HypervisorException("resume is not supported by the " + backend() + " backend");
    }

    /** {@link #restore(LaunchSpec, Path, ProcessStarted)} with nobody told the pid early. */
    default Instance restore(LaunchSpec spec, Path stateDir) {
        return restore(spec, stateDir, ProcessStarted.NONE);
    }

    /**
     * Adopts a hypervisor that survived a volantd restart (control-plane.md §2.10 item 9.2): returns a handle
     * only when {@code pid} is alive and its command line contains this launcher's control socket for
     * {@code vmName}; otherwise empty, and the process is never signalled.
     */
    default Optional<Instance> adopt(String vmName, long pid) {
        return Optional.empty();
    }

    /**
     * How volantd reaches the in-guest agents of this launcher's VMs (host-runtime.md §7.3: TCP by IP, through the
     * launcher's network namespace, or hybrid vsock); empty when the backend has no transport of its own.
     */
    default Optional<AgentAccess> agentAccess() {
        return Optional.empty();
    }

    /** Template and clone support (docs/templates.md); empty when the backend has none. */
    default Optional<io.volant.volantd.hypervisor.template.Templating> templating() {
        return Optional.empty();
    }

    /** Kills every instance this launcher still tracks without grace (engine process context cancelled). */
    @Override
    default void close() {}
}
