package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.hypervisor.template.Templating;
import io.volant.volantd.network.Macs;
import io.volant.volantd.network.bridge.BridgeNetworkManager;
import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.testing.Cmd;
import io.volant.volantd.testing.GuestFixture;
import io.volant.volantd.testing.NetnsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host side of templates on real QEMU (TCG) in a fresh network namespace, against a busybox guest whose init
 * speaks the identity protocol in shell (warm, then identity: MAC, hostname, {@code ip=} from the sent command line,
 * applied): a template is captured once, two clones of it answer HTTP on their own IPs with their own MACs and
 * hostnames, and stopping them and discarding the template leaves no file behind.
 */
@Tag("vm")
class QemuTemplatingTest {
    private static final String HOST_IP = "10.231.9.1";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void clones_of_one_template_serve_with_their_own_ip_mac_and_hostname_and_leave_nothing() throws Exception {
        GuestFixture.assumeVmHost();
        Path bundle = GuestFixture.kernelBundle();
        Path initramfs = protocolGuest(bundle);
        Path runtime = dir.resolve("run");
        try (NetnsFixture ns = new NetnsFixture("vtplbr", HOST_IP + "/24")) {
            BridgeNetworkManager net = new BridgeNetworkManager(ns.bridge, new ProcessCommandRunner(ns.name));
            QemuLauncher launcher = GuestFixture.qemuLauncher(dir, ns.name, null);
            Templating templating = launcher.templating().orElseThrow();
            List<String> taps = new ArrayList<>();
            List<Instance> clones = new ArrayList<>();
            TemplateImage image = null;
            try {
                LaunchSpec tpl = spec("tpl-0123456789abcdef", "", "52:54:00:01:23:45", "", initramfs,
                        runtime.resolve("templates/tpl-0123456789abcdef.serial"));
                image = templating.capture("tpl-0123456789abcdef", tpl, Duration.ofMinutes(4));
                assertThat(image.ram()).exists();
                assertThat(Files.size(image.state())).isPositive().isLessThan(Files.size(image.ram()));

                for (int i = 1; i <= 2; i++) {
                    String name = "web-" + i;
                    String ip = "10.231.9." + (10 + i);
                    String mac = Macs.derive(name, ip);
                    String tap = net.prepareTap(name, mac);
                    taps.add(tap);
                    clones.add(templating.clone(image, spec(name, ip, mac, tap, initramfs,
                            runtime.resolve(name + ".serial")), Duration.ofMinutes(2)));
                    String page = ns.exec("curl", "-s", "-m", "10", "http://" + ip + "/").trim();
                    assertThat(page).isEqualTo(name + " " + mac);
                }
            } finally {
                clones.forEach(c -> c.stop(Duration.ZERO));
                taps.forEach(net::cleanupTap);
                if (image != null) {
                    templating.discard(image);
                }
            }
            for (Instance c : clones) {
                assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            }
            try (Stream<Path> left = Files.walk(runtime)) {
                assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void a_guest_that_never_says_warm_fails_the_template_and_leaves_nothing() throws Exception {
        GuestFixture.assumeVmHost();
        Path runtime = dir.resolve("run");
        // The fixture's plain guest knows nothing of the protocol.
        Path initramfs = GuestFixture.buildInitramfs(dir);
        try (NetnsFixture ns = new NetnsFixture("vtplbr", HOST_IP + "/24")) {
            QemuLauncher launcher = GuestFixture.qemuLauncher(dir, ns.name, null);
            Templating templating = launcher.templating().orElseThrow();
            LaunchSpec tpl = spec("tpl-00000000000000aa", "", "52:54:00:00:00:aa", "", initramfs,
                    runtime.resolve("templates/tpl-00000000000000aa.serial"));
            assertThatThrownBy(() -> templating.capture("tpl-00000000000000aa", tpl, Duration.ofSeconds(20)))
                    .hasMessageContaining("sent no warm within");
            try (Stream<Path> left = Files.walk(runtime)) {
                assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
            }
        }
    }

    private LaunchSpec spec(String name, String ip, String mac, String tap, Path initramfs, Path serial) {
        return GuestFixture.guestSpec(dir, name, ip.isEmpty() ? "" : name, ip, HOST_IP, initramfs)
                .tapDevice(tap.isEmpty() ? "vt-unused" : tap).macAddress(mac).serialSocket(serial.toString()).build();
    }

    /** A busybox guest whose init plays kestrel's part of the identity protocol. */
    private Path protocolGuest(Path bundle) throws Exception {
        Path root = dir.resolve("guest-root");
        for (String d : new String[] {"bin", "proc", "sys", "dev", "www", "lib"}) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        String release = Files.readString(bundle.resolve("release")).trim();
        Files.copy(bundle.resolve("lib/modules/" + release + "/kernel/drivers/char/virtio_console.ko"),
                root.resolve("lib/virtio_console.ko"));
        Path init = root.resolve("init");
        Files.writeString(init, """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
                exec 0</dev/console 1>/dev/console 2>&1
                R=$(uname -r)
                while read -r m; do insmod "/lib/modules/$R/$m" 2>/dev/null; done < /etc/volant/modules.load
                insmod /lib/virtio_console.ko
                for p in /sys/class/virtio-ports/*; do
                  [ "$(cat $p/name)" = io.volant.identity ] && PORT=/dev/${p##*/}
                done
                ip link set lo up
                CMD=$(cat /proc/cmdline)
                case "$CMD" in *volant.template=1*)
                  echo '{"type":"warm"}' > "$PORT"
                  read -r LINE < "$PORT"
                  MAC=$(echo "$LINE" | sed 's/.*"mac":"\\([^"]*\\)".*/\\1/')
                  hostname "$(echo "$LINE" | sed 's/.*"hostname":"\\([^"]*\\)".*/\\1/')"
                  CMD=$(echo "$LINE" | sed 's/.*"cmdline":"\\([^"]*\\)".*/\\1/')
                  ip link set eth0 down; ip link set eth0 address "$MAC"
                  ;;
                esac
                for t in $CMD; do case "$t" in ip=*) IPT=${t#ip=} ;; esac; done
                IP=$(echo "$IPT" | cut -d: -f1); MASK=$(echo "$IPT" | cut -d: -f4)
                ifconfig eth0 "$IP" netmask "$MASK" up
                echo "$(hostname) $(cat /sys/class/net/eth0/address)" > /www/index.html
                httpd -p 80 -h /www
                case "$(cat /proc/cmdline)" in *volant.template=1*) echo '{"type":"applied"}' > "$PORT" ;; esac
                while true; do sleep 3600; done
                """);
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = dir.resolve("protocol-guest.cpio.gz");
        Cmd.run("sh", "-c", "cd '" + root + "' && find . | cpio -o -H newc --quiet | gzip -1 > '" + out + "'");
        return out;
    }
}
