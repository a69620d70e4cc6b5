package io.volant.volantd.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.manifest.KernelCmdline;
import io.volant.volantd.hypervisor.LaunchSpec;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Template keys: what makes two guests interchangeable, and what never matters (the per-VM values). */
class TemplateKeyTest {
    private static final String BACKEND = "qemu q35 tcg kernel=/k:1:2";

    /** A replica's spec: per-VM values from the arguments, the rest fixed. */
    private static LaunchSpec replica(String name, String ip, String mac, long cid, String tap) {
        return LaunchSpec.builder().name(name).cpuCores(1).memoryMb(512)
                .kernelCmdline(KernelCmdline.base("bridged", ip, "10.1.0.1", "255.255.255.0", name) + " quiet")
                .tapDevice(tap).macAddress(mac).ipAddress(ip).gateway("10.1.0.1").netmask("255.255.255.0").vsockCid(cid)
                .args(Map.of("volant.runtime", "caddy", "volant.manifest", "abc", "volant.boot", "initramfs"))
                .initramfs("/srv/caddy.cpio.gz").initramfsChecksum("sha256:1").serialSocket("/run/" + name + ".serial")
                .build();
    }

    @Provide
    Arbitrary<LaunchSpec> replicas() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .flatMap(n -> Arbitraries.integers().between(1, 99).map(i -> n + "-" + i));
        Arbitrary<String> ips = Arbitraries.integers().between(2, 254).map(i -> "10.1.0." + i);
        Arbitrary<String> macs = Arbitraries.integers().between(0, 0xffffff)
                .map(i -> String.format("52:54:00:%02x:%02x:%02x", i >> 16, (i >> 8) & 0xff, i & 0xff));
        Arbitrary<Long> cids = Arbitraries.longs().between(3, 1 << 20);
        Arbitrary<String> taps = Arbitraries.strings().withCharRange('a', 'z').ofLength(8).map(t -> "vt" + t);
        return Combinators.combine(names, ips, macs, cids, taps).as(TemplateKeyTest::replica);
    }

    @Property(tries = 200)
    void per_vm_values_never_change_the_key(@ForAll("replicas") LaunchSpec a, @ForAll("replicas") LaunchSpec b) {
        assertThat(TemplateKey.of(a, BACKEND)).isEqualTo(TemplateKey.of(b, BACKEND));
    }

    @Property(tries = 200)
    void equal_configs_give_equal_keys_and_names(@ForAll("replicas") LaunchSpec a) {
        TemplateKey k = TemplateKey.of(a, BACKEND);
        assertThat(TemplateKey.of(a, BACKEND)).isEqualTo(k);
        assertThat(k.templateName()).matches("tpl-[0-9a-f]{16}");
    }

    @Property(tries = 200)
    void any_difference_that_matters_changes_the_key(@ForAll("replicas") LaunchSpec a,
            @ForAll @IntRange(min = 0, max = 11) int which) {
        List<UnaryOperator<LaunchSpec>> changes = List.of(
                s -> s.toBuilder().cpuCores(2).build(),
                s -> s.toBuilder().memoryMb(1024).build(),
                s -> s.toBuilder().kernelCmdline(s.kernelCmdline() + " debug").build(),
                s -> s.toBuilder().args(Map.of("volant.runtime", "caddy", "volant.manifest", "abd", "volant.boot",
                        "initramfs")).build(),
                s -> s.toBuilder().initramfsChecksum("sha256:2").build(),
                s -> s.toBuilder().tapDevice("").build(),
                s -> s.toBuilder().kernelCmdline(s.kernelCmdline().replace(":off", ":dhcp")).build(),
                s -> s.toBuilder().kernelOverride("/other/vmlinuz").build(),
                s -> s.toBuilder().initramfs("/srv/other.cpio.gz").build(),
                s -> s.toBuilder().disks(List.of(new LaunchSpec.Disk("data", "/d.img", "", "raw", true))).build(),
                s -> s.toBuilder().vfioDevicePaths(List.of("/sys/bus/pci/devices/0000:01:00.0")).build(),
                s -> s);
        UnaryOperator<LaunchSpec> change = changes.get(which);
        if (which == changes.size() - 1) {
            // the backend's own fingerprint (binary, machine, accelerator, default kernel) matters as well
            assertThat(TemplateKey.of(a, BACKEND + " kvm")).isNotEqualTo(TemplateKey.of(a, BACKEND));
            return;
        }
        assertThat(TemplateKey.of(change.apply(a), BACKEND)).isNotEqualTo(TemplateKey.of(a, BACKEND));
    }

    @Property(tries = 200)
    void the_ip_token_keeps_its_form_but_loses_address_and_hostname(@ForAll("replicas") LaunchSpec a) {
        assertThat(TemplateKey.withoutIdentity(a.kernelCmdline()))
                .contains("ip=::10.1.0.1:255.255.255.0::eth0:off")
                .doesNotContain(a.ipAddress() + "::")
                .endsWith(" quiet");
    }
}
