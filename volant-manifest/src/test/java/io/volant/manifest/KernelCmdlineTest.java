package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line composition and the length rule (plugins-and-guest.md §1.9, host-runtime.md §3.5). */
class KernelCmdlineTest {
    private static final Manifest CADDY = Manifests.parse(Fixtures.resource(Fixtures.CADDY));

    @Test
    void hostname_is_lower_cased_and_reduced_to_letters_digits_and_dashes() {
        assertThat(KernelCmdline.sanitizeHostname("Web_Server-01.prod")).isEqualTo("webserver-01prod");
        assertThat(KernelCmdline.sanitizeHostname("Ünïcode")).isEqualTo("ncode");
        assertThat(KernelCmdline.sanitizeHostname("__")).isEqualTo("vm");
        assertThat(KernelCmdline.sanitizeHostname(null)).isEqualTo("vm");
    }

    @Test
    void bridged_base_carries_the_static_ip_token() {
        assertThat(KernelCmdline.base("bridged", "192.168.127.10", "192.168.127.1", "255.255.255.0", "Web-1"))
                .isEqualTo("console=ttyS0 reboot=k panic=1 quiet loglevel=1 i8042.noaux i8042.nokbd pci=lastbus=0 "
                        + "ip=192.168.127.10::192.168.127.1:255.255.255.0:web-1:eth0:off");
        assertThat(KernelCmdline.base("", "10.0.0.2", "10.0.0.1", "255.0.0.0", "a"))
                .endsWith(" ip=10.0.0.2::10.0.0.1:255.0.0.0:a:eth0:off");
    }

    @Test
    void vsock_base_has_an_empty_address() {
        assertThat(KernelCmdline.base("vsock", "10.0.0.2", "10.0.0.1", "255.255.255.0", "v"))
                .endsWith(" ip=::10.0.0.1:255.255.255.0:v:eth0:off");
    }

    @Test
    void dhcp_base_uses_the_dhcp_autoconf_form() {
        assertThat(KernelCmdline.base("DHCP", "", "10.0.0.1", "255.255.255.0", "My.VM"))
                .endsWith(" pci=lastbus=0 ip=::::myvm:eth0:dhcp");
        assertThat(KernelCmdline.dhcpIpToken("h")).isEqualTo("ip=::::h:eth0:dhcp");
    }

    @Test
    void volant_arguments_follow_the_extra_arguments_sorted_by_key() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("volant.runtime", "caddy");
        args.put("volant.api_port", "7777");
        args.put("volant.api_host", " 192.168.127.1 ");
        args.put("volant.plugin", "caddy");
        args.put(" ", "skipped");
        args.put("volant.flag", "");
        String cmdline = KernelCmdline.build("  base a=1 ", " quiet=0  x ", args);
        assertThat(cmdline).isEqualTo("base a=1 quiet=0  x volant.api_host=192.168.127.1 volant.api_port=7777 "
                + "volant.flag volant.plugin=caddy volant.runtime=caddy");
    }

    @Test
    void blank_extra_arguments_add_nothing() {
        assertThat(KernelCmdline.build("base", "  ", Map.of("k", "v"))).isEqualTo("base k=v");
        assertThat(KernelCmdline.build("base", null, null)).isEqualTo("base");
    }

    @Test
    void a_value_that_would_split_into_two_tokens_is_refused() {
        assertThatThrownBy(() -> KernelCmdline.build("b", "", Map.of("volant.plugin", "my plugin")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("kernel argument volant.plugin: value \"my plugin\" must not contain whitespace or quotes");
        assertThatThrownBy(() -> KernelCmdline.build("b", "", Map.of("a=b", "c")))
                .hasMessage("kernel argument \"a=b\": key must not contain whitespace, quotes or '='");
    }

    @Test
    void command_line_of_2047_bytes_passes_and_2048_is_refused_with_length_and_limit() {
        String base = "x".repeat(2047);
        assertThat(KernelCmdline.build(base, "", Map.of())).hasSize(2047);
        assertThatThrownBy(() -> KernelCmdline.build(base + "y", "", Map.of()))
                .isInstanceOf(ManifestException.class)
                .hasMessage("kernel command line too long (2048 > 2047 bytes)");
    }

    @Test
    void length_is_counted_in_utf8_bytes() {
        String base = "é".repeat(1024); // 2048 bytes, 1024 chars
        assertThatThrownBy(() -> KernelCmdline.build(base, "", Map.of()))
                .hasMessage("kernel command line too long (2048 > 2047 bytes)");
    }

    @Test
    void a_kernel_specific_limit_is_honoured() {
        assertThatThrownBy(() -> KernelCmdline.build("abcdef", "", Map.of("k", "v"), 8))
                .hasMessage("kernel command line too long (10 > 8 bytes)");
    }

    @Test
    void caddy_command_line_with_the_guest_manifest_fits() {
        String base = KernelCmdline.base("bridged", "192.168.127.200", "192.168.127.1", "255.255.255.0", "caddy-1");
        Map<String, String> args = new HashMap<>(KernelCmdline.bootArgs(CADDY.rootfs(), ""));
        args.put(KernelCmdline.KEY_MANIFEST, ManifestCodec.encodeGuest(CADDY));
        args.put(KernelCmdline.KEY_PLUGIN, "caddy");
        args.put(KernelCmdline.KEY_RUNTIME, "caddy");
        args.put(KernelCmdline.KEY_API_HOST, "192.168.127.1");
        args.put(KernelCmdline.KEY_API_PORT, "7777");
        String cmdline = KernelCmdline.build(base, "", args);
        assertThat(cmdline.length()).isLessThan(1000);
        BootArgs parsed = BootArgs.parse(cmdline);
        assertThat(ManifestCodec.decode(parsed.value(KernelCmdline.KEY_MANIFEST).orElseThrow()).name()).isEqualTo("caddy");
        assertThat(parsed.bootValue(KernelCmdline.KEY_BOOT)).contains("initramfs");
    }

    @Test
    void manifest_with_a_3kb_inline_env_map_is_refused_naming_length_and_limit() {
        Map<String, String> env = new HashMap<>();
        java.util.Random random = new java.util.Random(42); // random values so gzip cannot shrink them away
        for (int i = 0; i < 48; i++) {
            StringBuilder v = new StringBuilder();
            for (int j = 0; j < 56; j++) {
                v.append((char) ('a' + random.nextInt(26)));
            }
            env.put("VAR_" + i, v.toString());
        }
        Manifest big = CADDY.withWorkload(new Workload("http", "http://127.0.0.1:80", List.of("/app"), env, ""));
        assertThat(Manifests.toCompactJson(big).length()).isGreaterThan(3000);
        String encoded = ManifestCodec.encodeGuest(big);
        String base = KernelCmdline.base("bridged", "10.0.0.2", "10.0.0.1", "255.255.255.0", "big");
        assertThatThrownBy(() -> KernelCmdline.build(base, "", Map.of(KernelCmdline.KEY_MANIFEST, encoded)))
                .isInstanceOf(ManifestException.class)
                .hasMessageMatching("kernel command line too long \\(\\d{4} > 2047 bytes\\)");
    }

    @Test
    void boot_args_for_an_initramfs_plugin_only_set_the_boot_mode() {
        assertThat(KernelCmdline.bootArgs(RootFs.EMPTY, "")).isEqualTo(Map.of("volant.boot", "initramfs"));
        assertThat(KernelCmdline.bootArgs(null, "")).isEqualTo(Map.of("volant.boot", "initramfs"));
    }

    @Test
    void boot_args_for_a_rootfs_name_device_and_file_system() {
        assertThat(KernelCmdline.bootArgs(new RootFs("/r.img", "", "raw"), ""))
                .isEqualTo(Map.of("volant.boot", "rootfs", "volant.rootfs_device", "vda", "volant.rootfs_fstype", "ext4"));
        assertThat(KernelCmdline.bootArgs(new RootFs("/r.img", "", "SquashFS"), ""))
                .containsEntry("volant.rootfs_fstype", "squashfs");
    }

    @Test
    void boot_args_leave_keys_the_user_already_set_in_extra_arguments() {
        assertThat(KernelCmdline.bootArgs(new RootFs("/r.img", "", "xfs"), "volant.rootfs_fstype=btrfs volant.rootfs_device=vdb"))
                .isEqualTo(Map.of("volant.boot", "rootfs"));
    }

    @Test
    void limit_is_read_from_a_bzimage_setup_header() {
        byte[] header = new byte[0x240];
        header[0x202] = 'H';
        header[0x203] = 'd';
        header[0x204] = 'r';
        header[0x205] = 'S';
        header[0x206] = 0x0F; // protocol 2.15
        header[0x207] = 0x02;
        header[0x238] = (byte) 0xFF; // cmdline_size 4095
        header[0x239] = 0x0F;
        assertThat(KernelCmdline.maxBytesFromKernelHeader(header)).isEqualTo(4095);
        header[0x206] = 0x05; // protocol 2.05 has no cmdline_size
        assertThat(KernelCmdline.maxBytesFromKernelHeader(header)).isEqualTo(2047);
        assertThat(KernelCmdline.maxBytesFromKernelHeader(new byte[0x240])).isEqualTo(2047);
        assertThat(KernelCmdline.maxBytesFromKernelHeader(new byte[16])).isEqualTo(2047);
    }
}
