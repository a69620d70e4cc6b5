package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volar.setup.SetupOptions;
import io.volant.volar.setup.SetupPlan;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code volar setup} plan as a pure function of its options (host-runtime.md §4.7). */
class SetupPlanTest {
    private static SetupOptions defaults() {
        return new SetupOptions("", "", "", "", "", "/etc/systemd/system/volantd.service", "", "", "",
                "/usr/local/bin/volantd", "/usr/bin/cloud-hypervisor", "/root", "/");
    }

    @Test
    void defaults_give_the_documented_commands_in_order() {
        SetupPlan plan = SetupPlan.of(defaults());

        assertThat(plan.commands()).containsExactly(
                "mkdir -p /root/.volant/run",
                "mkdir -p /root/.volant/logs",
                "mkdir -p /var/lib/volant",
                "mkdir -p /var/lib/volant/kernel",
                "ip link add vbr0 type bridge",
                "ip addr replace 192.168.127.1/24 dev vbr0",
                "ip link set vbr0 up",
                "echo '1' > /proc/sys/net/ipv4/ip_forward",
                "write sysctl file /etc/sysctl.d/99-volant.conf",
                "iptables -t nat -A POSTROUTING -s 192.168.127.0/24 ! -o vbr0 -j MASQUERADE",
                "iptables -A FORWARD -i vbr0 -j ACCEPT",
                "iptables -A FORWARD -o vbr0 -j ACCEPT",
                "write service file /etc/systemd/system/volantd.service",
                "systemctl daemon-reload",
                "systemctl enable --now volantd");
    }

    @Test
    void the_unit_sets_the_host_ip_and_hypervisor_after_the_subnet() {
        SetupOptions o = new SetupOptions("br9", "10.9.0.0/16", "10.9.0.1", "/run/v", "/log/v",
                "/etc/systemd/system/volantd.service", "/srv/volant", "", "", "/opt/volant/bin/volantd",
                "/usr/bin/cloud-hypervisor", "/root", "/");

        String unit = SetupPlan.of(o).unitFile();

        assertThat(unit).isEqualTo("""
                [Unit]
                Description=VOLANT Control Plane
                After=network.target

                [Service]
                Type=simple
                User=root
                Group=root
                WorkingDirectory=/srv/volant
                Environment=VOLANT_BRIDGE=br9
                Environment=VOLANT_SUBNET=10.9.0.0/16
                Environment=VOLANT_HOST_IP=10.9.0.1
                Environment=VOLANT_HYPERVISOR=/usr/bin/cloud-hypervisor
                Environment=VOLANT_RUNTIME_DIR=/run/v
                Environment=VOLANT_LOG_DIR=/log/v
                Environment=VOLANT_KERNEL_BZIMAGE=/srv/volant/kernel/bzImage
                Environment=VOLANT_KERNEL_VMLINUX=/srv/volant/kernel/vmlinux
                ExecStart=/opt/volant/bin/volantd
                Restart=always
                RestartSec=5
                StandardOutput=append:/log/v/volantd.log
                StandardError=append:/log/v/volantd.log

                [Install]
                WantedBy=multi-user.target
                """);
        assertThat(SetupPlan.of(o).commands()).contains("ip addr replace 10.9.0.1/16 dev br9");
    }

    @Test
    void an_empty_service_file_skips_the_unit() {
        SetupOptions o = new SetupOptions("", "", "", "", "", "", "", "", "", "", "", "/root", "/");
        SetupPlan plan = SetupPlan.of(o);
        assertThat(plan.unitFile()).isEmpty();
        assertThat(plan.commands()).noneMatch(c -> c.startsWith("systemctl") || c.startsWith("write service"));
    }

    @Test
    void bad_addresses_are_refused_with_the_spec_messages() {
        assertThatThrownBy(() -> SetupPlan.of(with("bad", "192.168.127.1")))
                .hasMessageStartingWith("invalid subnet bad: ");
        assertThatThrownBy(() -> SetupPlan.of(with("192.168.127.0/24", "nope")))
                .hasMessage("invalid host ip nope");
        assertThatThrownBy(() -> SetupPlan.of(with("192.168.127.0/24", "10.0.0.1")))
                .hasMessage("host ip 10.0.0.1 not in subnet 192.168.127.0/24");
    }

    @Test
    void relative_and_home_paths_are_made_absolute() {
        SetupOptions o = new SetupOptions("", "", "", "~/run", "logs", "", "work", "", "", "", "", "/home/op",
                "/tmp/here");
        assertThat(SetupPlan.of(o).directories()).containsExactly("/home/op/run", "/tmp/here/logs", "/tmp/here/work",
                "/tmp/here/work/kernel");
    }

    @Test
    void a_dry_run_without_the_tools_warns_but_a_real_run_refuses() {
        Cli bare = new Cli().host(new Cli.FakeHost(true, Set.of()));
        Cli.Result dry = bare.run("setup", "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.err()).contains("warning: required binary iptables not found in PATH");

        Cli.Result real = bare.run("setup");
        assertThat(real.exit()).isEqualTo(1);
        assertThat(real.err()).isEqualTo("Error: required binary ip not found in PATH\n");
    }

    @Test
    void environment_defaults_apply_and_host_ip_reads_the_corrected_variable() {
        Cli.Result r = new Cli().env("VOLANT_BRIDGE", "br7").env("VOLANT_SUBNET", "10.7.0.0/24")
                .env("VOLANT_HOST_IP", "10.7.0.1").run("setup", "--dry-run");
        assertThat(r.outLines()).contains("  ip link add br7 type bridge", "  ip addr replace 10.7.0.1/24 dev br7");

        Cli.Result bad = new Cli().run("setup", "--dry-run", "--host-ip", "10.0.0.1");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("Error: host ip 10.0.0.1 not in subnet 192.168.127.0/24\n");
    }

    private static SetupOptions with(String subnet, String hostIp) {
        return new SetupOptions("", subnet, hostIp, "", "", "", "", "", "", "", "", "/root", "/");
    }
}
