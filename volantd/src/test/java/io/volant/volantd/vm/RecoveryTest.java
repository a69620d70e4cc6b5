package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.store.Store;
import io.volant.volantd.testing.Engine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * control-plane.md AC-C6, the part VmLifecycleTest does not cover: a {@code running} row whose pid is a live process
 * the launcher does not recognise (ChLauncherTest checks the recognition itself) is marked crashed, and that
 * process is never signalled.
 */
class RecoveryTest {
    @TempDir
    Path dir;

    @Test
    void ac_c6_a_running_row_whose_pid_is_a_live_unrelated_process_is_crashed_and_the_process_left_alone() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        try {
            Engine first = new Engine(dir);
            first.install("browser", 1, 128);
            Vm web = first.volantd.vms().create(CreateVmRequest.of("web", "browser"));
            first.volantd.halt();
            try (Store s = Store.open(first.config.dbPath())) {
                s.write(tx -> {
                    tx.vms().updateRuntimeState(web.id(), "running", unrelated.pid());
                    return null;
                });
            }

            Engine second = new Engine(dir);
            try {
                Vm after = second.volantd.vms().get("web");
                assertThat(after.status()).isEqualTo(VmStatus.CRASHED);
                assertThat(after.pid()).isNull();
                assertThat(second.events()).extracting(VmEvent::type).containsExactly(EventType.VM_CRASHED);
                assertThat(unrelated.isAlive()).isTrue();
            } finally {
                second.close();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }
}
