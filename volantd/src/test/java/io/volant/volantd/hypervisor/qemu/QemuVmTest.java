package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.cloudinit.FatSeedBuilder;
import io.volant.volantd.cloudinit.SeedInput;
import io.volant.volantd.config.Subnet;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.console.ConsoleSession;
import io.volant.volantd.hypervisor.ExitResult;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.network.bridge.BridgeNetworkManager;
import io.volant.volantd.network.Macs;
import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.store.Store;
import io.volant.volantd.testing.GuestFixture;
import io.volant.volantd.testing.RealVmCase;
import io.volant.volantd.testing.NetnsFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real VM under QEMU (TCG) in a fresh network namespace, driven through the host-runtime components the engine
 * uses (IP lease in the store, MAC derivation, bridge manager, QEMU launcher, console hub): HTTP 200 from the leased
 * IP, console output and input, and a stop that leaves no process, tap, lease, socket or staged file behind.
 * Runs as root with qemu-system-x86_64 and busybox (CI); fetches the kernel bundle when missing.
 */
class QemuVmTest extends RealVmCase {
    private static final String SUBNET = "10.231.7.0/24";
    private static final String HOST_IP = "10.231.7.1";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void bridged_vm_serves_http_on_its_leased_ip_has_a_console_and_stop_leaves_nothing_behind() throws Exception {
        Path runtime = dir.resolve("run");
        Path logs = dir.resolve("logs");

        try (NetnsFixture ns = new NetnsFixture("vbrtest", HOST_IP + "/24");
                Store store = Store.open(dir.resolve("state.db"));
                ConsoleHub hub = new ConsoleHub()) {
            Subnet subnet = Subnet.parse(SUBNET);
            store.write(tx -> {
                tx.ips().ensurePool(subnet.pool(HOST_IP));
                return null;
            });
            String ip = store.write(tx -> tx.ips().leaseNextAvailable());
            String name = "web";
            String mac = Macs.derive(name, ip);
            BridgeNetworkManager net = new BridgeNetworkManager(ns.bridge, new ProcessCommandRunner(ns.name));
            String tap = net.prepareTap(name, mac);

            QemuLauncher launcher = GuestFixture.qemuLauncher(dir, ns.name, hub);
            Path seed = dir.resolve("seeds/web-seed.img");
            new FatSeedBuilder().build(new SeedInput("volant-1", name, "", "", "version: 2"), seed);
            LaunchSpec spec = GuestFixture.guestSpec(dir, name, name, ip, HOST_IP, initramfs).tapDevice(tap)
                    .macAddress(mac).seedDisk(new LaunchSpec.Disk("seed", seed.toString(), "", "raw", true)).build();

            Instance vm = launcher.launch(spec);
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                        ns.tryExec("curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}",
                                "http://" + ip + "/").out().equals("200"));

                // Console: the boot output is buffered for a late client, then input reaches the guest shell.
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        new String(hub.buffered(name), StandardCharsets.UTF_8).contains(GuestFixture.BOOT_MARKER));
                try (ConsoleSession session = hub.attach(name, b -> {
                    synchronized (seen) {
                        seen.writeBytes(b);
                    }
                })) {
                    assertThat(text(seen)).contains(GuestFixture.BOOT_MARKER).contains("mac=" + mac);
                    session.write("echo marker-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
                    await().atMost(Duration.ofSeconds(30)).until(() -> text(seen).contains("marker-42"));
                    // AC-S4/AC-Q3: the guest sees the FAT seed as vda (no rootfs, no disks) and mounts it as vfat.
                    session.write(("mkdir -p /mnt && mount -t vfat -o ro /dev/vda /mnt && ls /mnt && "
                            + "echo seed-$(cat /mnt/network-config | tr ' ' _)\n").getBytes(StandardCharsets.UTF_8));
                    await().atMost(Duration.ofSeconds(30)).until(() -> text(seen).contains("seed-version:_2"));
                    assertThat(text(seen)).contains("meta-data").contains("user-data");
                }
                assertThat(Files.readString(logs.resolve(name + ".console.log"))).contains(GuestFixture.BOOT_MARKER);
            } finally {
                vm.stop(Duration.ofSeconds(2));
                net.cleanupTap(tap);
                store.write(tx -> {
                    tx.ips().release(ip);
                    return null;
                });
            }

            ExitResult exit = vm.exit().get(30, TimeUnit.SECONDS);
            assertThat(exit.crashed()).isFalse();
            assertThat(ProcessHandle.of(vm.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(ns.tryExec("ip", "link", "show", "dev", tap).code()).isNotZero();
            assertThat(store.read(tx -> tx.ips().lookup(ip)).orElseThrow().status()).isEqualTo("available");
            try (Stream<Path> left = Files.list(runtime)) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void ac_q4_guest_poweroff_is_stopped_and_a_pid_1_exit_panic_is_crashed() throws Exception {
        Path runtime = dir.resolve("run");
        try (NetnsFixture ns = new NetnsFixture("vbrq4", HOST_IP + "/24"); ConsoleHub hub = new ConsoleHub()) {
            BridgeNetworkManager net = new BridgeNetworkManager(ns.bridge, new ProcessCommandRunner(ns.name));
            QemuLauncher launcher = GuestFixture.qemuLauncher(dir, ns.name, hub);
            for (String mode : List.of("poweroff", "panic")) {
                String name = "q4-" + mode;
                String ip = mode.equals("poweroff") ? "10.231.7.5" : "10.231.7.6";
                String mac = Macs.derive(name, ip);
                String tap = net.prepareTap(name, mac);
                LaunchSpec spec = GuestFixture.guestSpec(dir, name, name, ip, HOST_IP, initramfs).tapDevice(tap)
                        .macAddress(mac).args(Map.of("volant.test_exit", mode)).build();
                Instance vm = launcher.launch(spec);
                try {
                    ExitResult exit = vm.exit().get(180, TimeUnit.SECONDS);
                    assertThat(exit.requested()).isFalse();
                    assertThat(exit.crashed()).as(mode).isEqualTo(mode.equals("panic"));
                } finally {
                    vm.stop(Duration.ZERO);
                    net.cleanupTap(tap);
                }
            }
            try (Stream<Path> left = Files.list(runtime)) {
                assertThat(left).isEmpty();
            }
        }
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
