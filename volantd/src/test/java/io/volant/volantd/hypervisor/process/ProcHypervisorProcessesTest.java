package io.volant.volantd.hypervisor.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strays are found by their control socket under the runtime dir, through the real /proc, and stopped. */
class ProcHypervisorProcessesTest {
    @TempDir
    Path dir;

    @Test
    void a_process_naming_a_control_socket_of_the_runtime_dir_is_found_and_stopped() throws Exception {
        Path runtime = dir.resolve("run");
        Files.createDirectories(runtime);
        // A stand-in hypervisor: one process (exec keeps it one) whose argv names <R>/stray-1.qmp as a QEMU option part.
        Process p = new ProcessBuilder("bash", "-c", "exec -a socket,id=qmp,path=" + runtime.resolve("stray-1.qmp")
                + ",server=on sleep 300").start();
        Process vsockOnly = new ProcessBuilder("bash", "-c", "exec -a " + runtime.resolve("stray-2.vsock") + " sleep 300").start();
        try {
            ProcHypervisorProcesses host = new ProcHypervisorProcesses(Path.of("/proc"), runtime);
            await().atMost(Duration.ofSeconds(10)).until(() -> host.list().contains(new HypervisorProcesses.Found(p.pid(), "stray-1")));
            assertThat(host.list()).as("<R>/stray-2.vsock is not the control socket of a VM \"stray-2.v\"")
                    .allSatisfy(f -> assertThat(f.vm()).isEqualTo("stray-1"));
            assertThat(new ProcHypervisorProcesses(Path.of("/proc"), dir.resolve("other")).list()).isEmpty();

            host.stop(p.pid());
            assertThat(p.isAlive()).isFalse();
            assertThat(host.list()).isEmpty();
        } finally {
            p.destroyForcibly();
            vsockOnly.destroyForcibly();
        }
    }
}
