package io.volant.volantd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.manifest.KernelCmdline;
import io.volant.testing.HostRequirements;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.hypervisor.qemu.QemuLauncher;
import io.volant.volantd.hypervisor.qemu.QemuOptions;
import io.volant.volantd.store.IpAllocation;
import io.volant.volantd.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The guest side of the real-VM tests: the kernel bundle of scripts/fetch-kernel.sh (fetched when missing) and a
 * tiny busybox initramfs whose /init loads the bundle's modules, applies the {@code ip=} token itself (Debian's cloud
 * kernel has no IP auto-configuration), serves HTTP with {@code busybox httpd} on 80 and on the agent port 8080 (so
 * the API's agent proxy has something to reach) and runs a shell on the console.
 */
public final class GuestFixture {
    public static final String BOOT_MARKER = "volant-test-init: up";

    private GuestFixture() {}

    /**
     * Skips the calling test unless this host can boot real VMs (root, qemu-system-x86_64, busybox-static); under
     * {@code CI=true} fails it instead ({@link HostRequirements}).
     */
    public static void assumeVmHost() {
        HostRequirements.require(HostRequirements.root(), "needs root");
        HostRequirements.require(Cmd.available("qemu-system-x86_64") && Files.isExecutable(Path.of("/bin/busybox")),
                "needs qemu-system-x86_64 and busybox-static");
    }

    /** {@link #assumeVmHost}, then {@link #buildInitramfs} under {@code dir}: how every real-VM test begins. */
    public static Path vmHostInitramfs(Path dir) throws IOException {
        assumeVmHost();
        return buildInitramfs(dir);
    }

    /**
     * {@link #qemuEnv} for a separate volantd process: its hypervisors, bridge and taps in {@code netns}, its API on
     * an ephemeral loopback port.
     */
    public static Map<String, String> daemonEnv(Path dir, String bridge, String net, String netns) throws IOException {
        Map<String, String> env = qemuEnv(dir, bridge, net);
        env.put("VOLANT_NETNS", netns);
        env.put("VOLANT_API_LISTEN", "127.0.0.1:0");
        return env;
    }

    /**
     * The volantd environment every real-VM test starts from: state under {@code dir}, the qemu backend on TCG, the
     * kernel bundle, bridge {@code bridge} with host IP {@code <net>.1} on {@code <net>.0/24}, a short stop grace.
     * Callers add what is theirs (listen address, {@code VOLANT_NETNS}).
     */
    public static Map<String, String> qemuEnv(Path dir, String bridge, String net) throws IOException {
        Path bundle = kernelBundle();
        String release = Files.readString(bundle.resolve("release")).trim();
        Map<String, String> env = new HashMap<>();
        env.put("VOLANT_DB_PATH", dir.resolve("state.db").toString());
        env.put("VOLANT_RUNTIME_DIR", dir.resolve("run").toString());
        env.put("VOLANT_LOG_DIR", dir.resolve("logs").toString());
        env.put("VOLANT_CACHE_DIR", dir.resolve("cache").toString());
        env.put("VOLANT_RUNTIME_BACKEND", "qemu");
        env.put("VOLANT_QEMU_ACCEL", "tcg");
        env.put("VOLANT_BRIDGE", bridge);
        env.put("VOLANT_SUBNET", net + ".0/24");
        env.put("VOLANT_HOST_IP", net + ".1");
        env.put("VOLANT_GUEST_KERNEL", bundle.resolve("vmlinuz").toString());
        env.put("VOLANT_GUEST_MODULES_DIR", bundle.resolve("lib/modules").resolve(release).toString());
        env.put("VOLANT_STOP_GRACE_SECONDS", "2");
        return env;
    }

    /**
     * A TCG QEMU launcher on the kernel bundle (fetched when missing) with its hypervisors in {@code netns}: runtime
     * files under {@code dir/run}, logs under {@code dir/logs}, downloads cached under {@code dir/cache}.
     */
    public static QemuLauncher qemuLauncher(Path dir, String netns, ConsoleHub hub) {
        Path bundle = kernelBundle();
        MediaStager stager = new MediaStager(new MediaSettings(null, null, bundle.resolve("vmlinuz"),
                bundle.resolve("modules.cpio.gz"), null, null), new ArtifactStore(dir.resolve("cache"), List.of()));
        return new QemuLauncher(new QemuOptions("qemu-system-x86_64", "q35", false, false, false),
                new HostEnv(dir.resolve("run"), dir.resolve("logs"), netns, stager, hub));
    }

    /**
     * The test guest's spec: 1 vCPU, 256 MiB, CID 3, an initramfs boot, bridged on {@code hostIp}'s /24 with
     * {@code ip} ("" = none) and hostname {@code hostname}; serial socket {@code <dir>/run/<name>.serial}.
     */
    public static LaunchSpec.Builder guestSpec(Path dir, String name, String hostname, String ip, String hostIp,
            Path initramfs) {
        String netmask = "255.255.255.0";
        return LaunchSpec.builder().name(name).cpuCores(1).memoryMb(256)
                .kernelCmdline(KernelCmdline.base("bridged", ip, hostIp, netmask, hostname))
                .ipAddress(ip).gateway(hostIp).netmask(netmask).vsockCid(3)
                .args(java.util.Map.of("volant.runtime", "test", "volant.boot", "initramfs"))
                .initramfs(initramfs.toString())
                .serialSocket(dir.resolve("run").resolve(name + ".serial").toString());
    }

    /**
     * What a destroyed VM of a daemon under {@code dir} must not leave: its hypervisor process ({@code pid}), its
     * tap in {@code ns}, a file in the runtime dir, an IP lease.
     */
    public static void assertNothingLeft(Path dir, NetnsFixture ns, long pid, String tap) throws IOException {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ns.tryExec("ip", "link", "show", "dev", tap).code()).isNotZero();
        try (Stream<Path> left = Files.list(dir.resolve("run"))) {
            assertThat(left.filter(p -> !Files.isDirectory(p)).map(Path::getFileName).map(Path::toString)).isEmpty();
        }
        try (Store store = Store.open(dir.resolve("state.db"))) {
            assertThat(store.read(tx -> tx.ips().list()).stream().filter(a -> IpAllocation.LEASED.equals(a.status())))
                    .isEmpty();
        }
    }

    public static Path repoRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/fetch-kernel.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root with scripts/fetch-kernel.sh not found");
        }
        return p;
    }

    /** build/kernel of the repository, fetched with scripts/fetch-kernel.sh when absent. */
    public static Path kernelBundle() {
        Path root = repoRoot();
        Path out = root.resolve("build/kernel");
        if (!Files.exists(out.resolve("vmlinuz")) || !Files.exists(out.resolve("modules.cpio.gz"))) {
            Cmd.run(root.resolve("scripts/fetch-kernel.sh").toString(), out.toString());
        }
        return out;
    }

    public static Path buildInitramfs(Path workDir) throws IOException {
        Path root = workDir.resolve("initramfs-root");
        for (String d : new String[] {"bin", "proc", "sys", "dev", "www", "etc"}) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Path init = root.resolve("init");
        Files.writeString(init, """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                mount -t devtmpfs devtmpfs /dev
                exec 0</dev/console 1>/dev/console 2>&1
                R=$(uname -r)
                if [ -f /etc/volant/modules.load ]; then
                  while read -r m; do
                    case "$m" in ''|'#'*) continue ;; esac
                    insmod "/lib/modules/$R/$m" 2>/dev/null
                  done < /etc/volant/modules.load
                fi
                for t in $(cat /proc/cmdline); do case "$t" in ip=*) IPT=${t#ip=} ;; esac; done
                IP=$(echo "$IPT" | cut -d: -f1); GW=$(echo "$IPT" | cut -d: -f3); MASK=$(echo "$IPT" | cut -d: -f4)
                ip link set lo up
                ifconfig eth0 "$IP" netmask "$MASK" up
                route add default gw "$GW"
                echo ok > /www/index.html
                httpd -p 80 -h /www
                httpd -p 8080 -h /www
                echo "%s ip=$IP mac=$(cat /sys/class/net/eth0/address)"
                case "$(cat /proc/cmdline)" in
                  *volant.test_exit=poweroff*) poweroff -f ;;
                  *volant.test_exit=panic*) exit 1 ;;
                esac
                while true; do sh; done
                """.formatted(BOOT_MARKER));
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = workDir.resolve("test-initramfs.cpio.gz");
        Cmd.run("sh", "-c", "cd '" + root + "' && find . | cpio -o -H newc --quiet | gzip -1 > '" + out + "'");
        return out;
    }
}
