package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.hypervisor.ExitResult;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.store.Store;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine side of adoption (control-plane.md §2.10 item 9.2, AC-C7): a launcher that recognises its process. */
class AdoptionTest {
    @TempDir
    Path dir;

    /** Adopts exactly the pid it is told survived; records stops. */
    static final class SurvivorLauncher implements Launcher {
        final long survivingPid;
        final CompletableFuture<ExitResult> exit = new CompletableFuture<>();
        volatile boolean stopped;

        SurvivorLauncher(long pid) {
            this.survivingPid = pid;
        }

        @Override
        public String backend() {
            return "test";
        }

        @Override
        public Instance launch(LaunchSpec spec, io.volant.volantd.hypervisor.ProcessStarted started) {
            throw new UnsupportedOperationException("only adoption is tested here");
        }

        @Override
        public Optional<Instance> adopt(String vmName, long pid) {
            if (pid != survivingPid) {
                return Optional.empty();
            }
            return Optional.of(new Instance() {
                public String name() {
                    return vmName;
                }

                public long pid() {
                    return pid;
                }

                public Path controlSocket() {
                    return null;
                }

                public Path serialSocket() {
                    return null;
                }

                public Path vsockSocket() {
                    return null;
                }

                public CompletableFuture<ExitResult> exit() {
                    return exit;
                }

                public void stop(Duration grace) {
                    stopped = true;
                    exit.complete(ExitResult.stopped());
                }
            });
        }
    }

    @Test
    void a_surviving_hypervisor_is_adopted_with_its_tap_other_taps_are_swept_and_stop_ends_it() {
        Engine first = new Engine(dir);
        first.install("browser", 1, 128);
        Vm survivor = first.volantd.vms().create(CreateVmRequest.of("keep", "browser"));
        first.volantd.vms().create(CreateVmRequest.of("gone", "browser"));
        first.volantd.vms().create(CreateVmRequest.of("deleted", "browser"));
        first.network.prepareTap("ghost", "02:00:00:00:00:01"); // e.g. created just before a crash, no row ever
        first.volantd.halt();
        // the row of "deleted" went while its tap stayed (a crash between the two)
        try (Store s = Store.open(first.config.dbPath())) {
            s.write(tx -> {
                tx.vms().delete(tx.vms().getByName("deleted").orElseThrow().id());
                return null;
            });
        }

        SurvivorLauncher launcher = new SurvivorLauncher(survivor.pid());
        Engine second = new Engine(dir, new MutableClock(), launcher, first.network); // same host: same taps
        try {
            VmService vms = second.volantd.vms();
            assertThat(vms.get("keep").status()).isEqualTo(VmStatus.RUNNING);
            assertThat(vms.get("keep").pid()).isEqualTo(survivor.pid());
            assertThat(vms.isLive("keep")).isTrue();
            assertThat(vms.get("gone").status()).isEqualTo(VmStatus.CRASHED);
            assertThat(second.events()).extracting(ev -> ev.name()).containsExactly("gone");
            // issue 14 item 8: taps without a running VM are swept at recovery, the adopted VM's tap stays
            assertThat(second.network.taps()).containsOnlyKeys(second.network.tapName("keep"));
            assertThat(second.network.cleanedTaps()).contains(second.network.tapName("ghost"),
                    second.network.tapName("deleted"), second.network.tapName("gone"));

            Vm stopped = vms.stop("keep");
            assertThat(launcher.stopped).isTrue();
            assertThat(stopped.status()).isEqualTo(VmStatus.STOPPED);
            assertThat(stopped.pid()).isNull();
        } finally {
            second.close();
        }
    }
}
