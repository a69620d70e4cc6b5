package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.hypervisor.process.HypervisorProcesses;
import io.volant.volantd.testing.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery stops hypervisor processes that no row owns (name and pid), e.g. one launched just before a crash. */
class StrayRecoveryTest {
    @TempDir
    Path dir;
    Engine e;

    @AfterEach
    void tearDown() {
        e.close();
    }

    /** An in-memory host process table with the processes recovery stopped. */
    static final class Host implements HypervisorProcesses {
        final List<Found> running = new ArrayList<>();
        final List<Long> stopped = new ArrayList<>();

        @Override
        public synchronized List<Found> list() {
            return List.copyOf(running);
        }

        @Override
        public synchronized void stop(long pid) {
            stopped.add(pid);
            running.removeIf(f -> f.pid() == pid);
        }
    }

    @Test
    void processes_without_an_owning_row_are_stopped_at_startup() {
        e = new Engine(dir);
        e.install("caddy", 1, 128);
        long pid = e.volantd.vms().create(CreateVmRequest.of("a", "caddy")).pid();
        Host host = new Host();
        host.running.add(new HypervisorProcesses.Found(pid + 1000, "a"));   // a second process for a's name
        host.running.add(new HypervisorProcesses.Found(4242, "ghost"));     // no row at all
        e.processes = host;
        e.crashAndReopen();
        assertThat(host.stopped).containsExactlyInAnyOrder(pid + 1000, 4242L);
        assertThat(host.running).isEmpty();
    }
}
