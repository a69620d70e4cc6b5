package io.volant.volantd.hypervisor.process;

import java.util.List;

/**
 * The hypervisor processes of this volantd as the host shows them, for startup recovery: a process whose argv names
 * a control socket {@code <runtime_dir>/<vm>.qmp} (QEMU) or {@code <runtime_dir>/<vm>.sock} (Cloud Hypervisor)
 * belongs to VM {@code <vm>} of this volantd. A crash between a launch and the row recording its pid, or a row
 * removed while its process lived, leaves such a process without an owner; recovery stops it.
 */
public interface HypervisorProcesses {
    /** No processes (the simulated backend, whose instances live in volantd's memory). */
    HypervisorProcesses NONE = new HypervisorProcesses() {
        @Override
        public List<Found> list() {
            return List.of();
        }

        @Override
        public void stop(long pid) {
            // nothing runs
        }
    };

    /** One process: its pid and the VM name its control socket names. */
    record Found(long pid, String vm) {}

    /** Every hypervisor process of this runtime directory. */
    List<Found> list();

    /** SIGTERM, up to 5 s, then SIGKILL; a process already gone is fine. */
    void stop(long pid);
}
