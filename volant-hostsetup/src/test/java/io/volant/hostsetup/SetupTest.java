package io.volant.hostsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host-runtime.md §10 AC-N8, AC-N9 and the real-run steps against the recording command twin. */
class SetupTest {
    private static final SetupOptions OPTS = new SetupOptions("vbr9", "10.9.0.0/24", "10.9.0.1", "/root/.volant/run",
            "/root/.volant/logs", "/etc/systemd/system/volantd.service", "/var/lib/volant",
            "/var/lib/volant/kernel/bzImage", "/var/lib/volant/kernel/vmlinux", "/usr/local/bin/volantd", "");

    @Test
    void ac_n8_dry_run_prints_every_command_in_order() {
        String out = SetupPlan.output(SetupPlan.dryRun(OPTS), true);

        assertThat(out).isEqualTo("""
                Commands to run:
                  mkdir -p /root/.volant/run
                  mkdir -p /root/.volant/logs
                  mkdir -p /var/lib/volant
                  mkdir -p /var/lib/volant/kernel
                  ip link add vbr9 type bridge
                  ip addr replace 10.9.0.1/24 dev vbr9
                  ip link set vbr9 up
                  echo '1' > /proc/sys/net/ipv4/ip_forward
                  iptables -t nat -A POSTROUTING -s 10.9.0.0/24 ! -o vbr9 -j MASQUERADE
                  iptables -A FORWARD -i vbr9 -j ACCEPT
                  iptables -A FORWARD -o vbr9 -j ACCEPT
                  write service file /etc/systemd/system/volantd.service
                  systemctl daemon-reload
                  systemctl enable --now volantd
                Dry run complete. Re-run without --dry-run as root to apply changes.
                """);
    }

    @Test
    void ac_n9_unit_carries_the_host_ip_after_the_subnet() {
        assertThat(SetupPlan.unit(OPTS)).isEqualTo("""
                [Unit]
                Description=VOLANT Control Plane
                After=network.target

                [Service]
                Type=simple
                User=root
                Group=root
                WorkingDirectory=/var/lib/volant
                Environment=VOLANT_BRIDGE=vbr9
                Environment=VOLANT_SUBNET=10.9.0.0/24
                Environment=VOLANT_HOST_IP=10.9.0.1
                Environment=VOLANT_RUNTIME_DIR=/root/.volant/run
                Environment=VOLANT_LOG_DIR=/root/.volant/logs
                Environment=VOLANT_KERNEL_BZIMAGE=/var/lib/volant/kernel/bzImage
                Environment=VOLANT_KERNEL_VMLINUX=/var/lib/volant/kernel/vmlinux
                ExecStart=/usr/local/bin/volantd
                Restart=always
                RestartSec=5
                StandardOutput=append:/root/.volant/logs/volantd.log
                StandardError=append:/root/.volant/logs/volantd.log

                [Install]
                WantedBy=multi-user.target
                """);
    }

    @Test
    void a_real_run_applies_every_step_writes_unit_and_sysctl_file_and_records_commands(
            @TempDir Path tmp) throws Exception {
        RecordingHostCommands runner = new RecordingHostCommands() // no rule present yet
                .failOn("iptables -t nat -C", 1, "").failOn("iptables -C", 1, "");
        SetupOptions o = new SetupOptions("vbr9", "10.9.0.0/24", "10.9.0.1", tmp.resolve("run").toString(),
                tmp.resolve("logs").toString(), tmp.resolve("unit/volantd.service").toString(),
                tmp.resolve("work").toString(), tmp.resolve("work/kernel/bzImage").toString(),
                tmp.resolve("work/kernel/vmlinux").toString(), "/usr/local/bin/volantd", "");
        HostSetup setup = new HostSetup(runner, bin -> !bin.equals("cloud-hypervisor"),
                tmp.resolve("sysctl.d/99-volant.conf"), true);

        HostSetup.Outcome out = setup.run(o, false);

        assertThat(out.output()).startsWith("Commands executed:\n  ip link add vbr9 type bridge\n")
                .contains("  iptables -A FORWARD -o vbr9 -j ACCEPT\n")
                .endsWith("  systemctl enable --now volantd\nSetup completed successfully.\n");
        assertThat(Files.readString(tmp.resolve("sysctl.d/99-volant.conf")))
                .isEqualTo("net.ipv4.ip_forward = 1\n");
        assertThat(Files.readString(tmp.resolve("unit/volantd.service"))).isEqualTo(SetupPlan.unit(o));
        assertThat(tmp.resolve("work/kernel")).isDirectory();
        assertThat(runner.commands()).contains("sysctl -q -w net.ipv4.ip_forward=1", "systemctl daemon-reload");
    }

    @Test
    void a_real_run_needs_root_and_a_dry_run_only_warns_about_missing_binaries() {
        HostSetup notRoot = new HostSetup(new RecordingHostCommands(), bin -> false,
                Path.of("/nonexistent/99-volant.conf"), false);
        assertThatThrownBy(() -> notRoot.run(OPTS, false))
                .hasMessage("volar setup must be run as root (use --dry-run to preview)");

        HostSetup.Outcome dry = notRoot.run(OPTS, true);
        assertThat(dry.warnings()).contains("required binary ip not found in PATH",
                "required binary cloud-hypervisor not found in PATH");
        assertThat(dry.output()).endsWith(SetupPlan.DRY_RUN_DONE + "\n");
    }

    @Test
    void a_failing_bridge_command_stops_the_run_before_any_file_is_written(@TempDir Path tmp) {
        RecordingHostCommands runner = new RecordingHostCommands().failOn("ip addr replace", 2,
                "Error: ipv4: Address already assigned.\n");
        SetupOptions o = inTemp(tmp);
        HostSetup setup = new HostSetup(runner, bin -> true, tmp.resolve("sysctl.d/99-volant.conf"), true);

        assertThatThrownBy(() -> setup.run(o, false))
                .hasMessage("run [ip addr replace 10.9.0.1/24 dev vbr9]: Error: ipv4: Address already assigned.");
        assertThat(runner.commands()).containsExactly("ip link add vbr9 type bridge",
                "ip addr replace 10.9.0.1/24 dev vbr9");
        assertThat(tmp.resolve("unit/volantd.service")).doesNotExist();
        assertThat(tmp.resolve("sysctl.d/99-volant.conf")).doesNotExist();
    }

    @Test
    void a_rerun_adds_only_missing_rules_and_ignores_the_existing_bridge(@TempDir Path tmp) {
        RecordingHostCommands runner = new RecordingHostCommands()
                .failOn("ip link add", 2, "RTNETLINK answers: File exists")
                .failOn("iptables -A FORWARD -i", 1, "must not be added")
                .failOn("iptables -t nat -C", 1, "Bad rule");
        List<String> recorded = new HostBootstrap(runner).apply("vbr9", "10.9.0.0/24", "10.9.0.1/24");

        assertThat(recorded).containsExactly("ip link add vbr9 type bridge", "ip addr replace 10.9.0.1/24 dev vbr9",
                "ip link set vbr9 up", "echo '1' > /proc/sys/net/ipv4/ip_forward",
                "iptables -t nat -A POSTROUTING -s 10.9.0.0/24 ! -o vbr9 -j MASQUERADE");
        assertThat(runner.commands()).containsExactly("ip link add vbr9 type bridge",
                "ip addr replace 10.9.0.1/24 dev vbr9", "ip link set vbr9 up", "sysctl -q -w net.ipv4.ip_forward=1",
                "iptables -t nat -C POSTROUTING -s 10.9.0.0/24 ! -o vbr9 -j MASQUERADE",
                "iptables -t nat -A POSTROUTING -s 10.9.0.0/24 ! -o vbr9 -j MASQUERADE",
                "iptables -C FORWARD -i vbr9 -j ACCEPT", "iptables -C FORWARD -o vbr9 -j ACCEPT");
    }

    private static SetupOptions inTemp(Path tmp) {
        return new SetupOptions("vbr9", "10.9.0.0/24", "10.9.0.1", tmp.resolve("run").toString(),
                tmp.resolve("logs").toString(), tmp.resolve("unit/volantd.service").toString(),
                tmp.resolve("work").toString(), tmp.resolve("work/kernel/bzImage").toString(),
                tmp.resolve("work/kernel/vmlinux").toString(), "/usr/local/bin/volantd", "");
    }
}
