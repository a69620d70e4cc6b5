package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.console.ConsoleSession;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.media.StagedMedia;
import io.volant.volantd.network.Macs;
import io.volant.volantd.network.bridge.BridgeNetworkManager;
import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.testing.GuestFixture;
import io.volant.volantd.testing.RealVmCase;
import io.volant.volantd.testing.NetnsFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A VM whose RAM is a private mapping of a file, as a template clone's is, suspended and resumed on real QEMU (TCG):
 * the resume backs the RAM block {@code mem} with anonymous memory (no file), the guest's in-memory files survive,
 * and the resumed VM suspends and resumes again. One boot.
 */
class QemuCloneSuspendVmTest extends RealVmCase {
    private static final String HOST_IP = "10.231.29.1";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void a_file_backed_vm_resumes_on_anonymous_memory_with_its_ram_content_and_suspends_again() throws Exception {
        Path runtime = dir.resolve("run");
        String ip = "10.231.29.10";
        String mac = Macs.derive("web", ip);
        try (NetnsFixture ns = new NetnsFixture("vbrsusp", HOST_IP + "/24"); ConsoleHub hub = new ConsoleHub()) {
            BridgeNetworkManager net = new BridgeNetworkManager(ns.bridge, new ProcessCommandRunner(ns.name));
            String tap = net.prepareTap("web", mac);
            QemuLauncher launcher = GuestFixture.qemuLauncher(dir, ns.name, hub);
            MediaStager stager = launcher.env().stager();
            LaunchSpec spec = GuestFixture.guestSpec(dir, "web", "web", ip, HOST_IP, initramfs).tapDevice(tap)
                    .macAddress(mac).build();
            HostPaths paths = new HostPaths(runtime, dir.resolve("logs"), "web");
            StagedMedia media = stager.stage(spec, paths);
            Path ram = dir.resolve("template.ram");
            Instance vm = launcher.start(spec, paths, media, media.files(), new QemuArgv.Boot(ram, false, false, false,
                    false), io.volant.volantd.hypervisor.ProcessStarted.NONE);
            Instance back = null;
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                        new String(hub.buffered("web"), StandardCharsets.UTF_8).contains(GuestFixture.BOOT_MARKER));
                type(hub, "echo kept-$((6*7)) > /www/mark; echo wrote-$((1+1))", "wrote-2");

                Path state = Files.createDirectories(dir.resolve("state-1"));
                vm.suspend(state);
                assertThat(vm.exit().get(30, TimeUnit.SECONDS).requested()).isTrue();
                assertThat(state.resolve(QemuSuspend.RAM_BACKEND_MARK)).exists();

                back = launcher.restore(spec, state);
                assertThat(ProcessHandle.of(back.pid()).orElseThrow().info().arguments().map(Arrays::asList)
                        .orElseThrow()).contains("memory-backend-ram,id=mem,size=256M", "q35,memory-backend=mem")
                        .noneMatch(a -> a.contains(ram.toString()));
                type(hub, "echo read-$(cat /www/mark)", "read-kept-42");

                Path again = Files.createDirectories(dir.resolve("state-2"));
                back.suspend(again);
                assertThat(again.resolve(QemuSuspend.RAM_BACKEND_MARK)).exists();
                back = launcher.restore(spec, again);
                type(hub, "echo again-$(cat /www/mark)", "again-kept-42");
            } finally {
                vm.stop(Duration.ZERO);
                if (back != null) {
                    back.stop(Duration.ZERO);
                }
                net.cleanupTap(tap);
            }
        }
    }

    /** Types {@code line} on the guest's console and waits until {@code expect} appears. */
    private static void type(ConsoleHub hub, String line, String expect) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (ConsoleSession session = hub.attach("web", b -> {
            synchronized (seen) {
                seen.writeBytes(b);
            }
        })) {
            session.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                synchronized (seen) {
                    return seen.toString(StandardCharsets.UTF_8).contains(expect);
                }
            });
        }
    }
}
