package io.volant.volantd.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.testing.Cmd;
import io.volant.volantd.testing.NetnsFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host-runtime.md §10 AC-N8, AC-N9, and the idempotent bootstrap run inside a throw-away network namespace. */
class SetupTest {
    private static final SetupOptions OPTS = new SetupOptions("vbr9", "10.9.0.0/24", "10.9.0.1", "/root/.volant/run",
            "/root/.volant/logs", "/etc/systemd/system/volantd.service", "/var/lib/volant",
            "/var/lib/volant/kernel/bzImage", "/var/lib/volant/kernel/vmlinux", "/usr/local/bin/volantd", "");

    @Test
    void ac_n8_dry_run_prints_every_command_in_order() {
        String out = SetupPlan.output(SetupPlan.dryRun(OPTS), true);

        assertThat(out).isEqualTo("""
                Commands executed:
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
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        io.volant.volantd.testing.FakeRecorder runner = new io.volant.volantd.testing.FakeRecorder();
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
        assertThat(java.nio.file.Files.readString(tmp.resolve("sysctl.d/99-volant.conf")))
                .isEqualTo("net.ipv4.ip_forward = 1\n");
        assertThat(java.nio.file.Files.readString(tmp.resolve("unit/volantd.service"))).isEqualTo(SetupPlan.unit(o));
        assertThat(tmp.resolve("work/kernel")).isDirectory();
        assertThat(runner.commands()).contains("sysctl -q -w net.ipv4.ip_forward=1", "systemctl daemon-reload");
    }

    @Test
    void a_real_run_needs_root_and_a_dry_run_only_warns_about_missing_binaries() {
        HostSetup notRoot = new HostSetup(new io.volant.volantd.testing.FakeRecorder(), bin -> false,
                java.nio.file.Path.of("/nonexistent/99-volant.conf"), false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> notRoot.run(OPTS, false))
                .hasMessage("volar setup must be run as root (use --dry-run to preview)");

        HostSetup.Outcome dry = notRoot.run(OPTS, true);
        assertThat(dry.warnings()).contains("required binary ip not found in PATH",
                "required binary cloud-hypervisor not found in PATH");
        assertThat(dry.output()).endsWith(SetupPlan.DRY_RUN_DONE + "\n");
    }

    @Test
    void bootstrap_inside_a_namespace_creates_the_bridge_and_rules_once() {
        assumeTrue("root".equals(System.getProperty("user.name")) && Cmd.available("iptables"),
                "needs root and iptables");
        try (NetnsFixture ns = new NetnsFixture("vbrdummy", "10.250.0.1/24")) {
            HostBootstrap boot = new HostBootstrap(new ProcessCommandRunner(ns.name));

            List<String> first = boot.apply("vbr9", "10.9.0.0/24", "10.9.0.1/24");
            List<String> second = boot.apply("vbr9", "10.9.0.0/24", "10.9.0.1/24");

            assertThat(first).hasSize(7).last().isEqualTo("iptables -A FORWARD -o vbr9 -j ACCEPT");
            assertThat(second).hasSize(4).doesNotContain("iptables -A FORWARD -i vbr9 -j ACCEPT");
            assertThat(ns.exec("ip", "-o", "addr", "show", "dev", "vbr9")).contains("10.9.0.1/24");
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.ip_forward").trim()).isEqualTo("1");
            assertThat(ns.exec("iptables", "-t", "nat", "-S", "POSTROUTING"))
                    .contains("-A POSTROUTING -s 10.9.0.0/24 ! -o vbr9 -j MASQUERADE");
        }
    }
}
