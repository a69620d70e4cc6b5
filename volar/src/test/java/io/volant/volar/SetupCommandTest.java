package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.hostsetup.RecordingHostCommands;
import io.volant.hostsetup.SetupOptions;
import io.volant.volar.setup.SetupEffects;
import io.volant.volar.setup.SetupFlags;
import io.volant.volar.setup.SetupResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code volar setup} (api-and-cli.md §5.8, host-runtime.md §4.7): the dry run, the root check, and the real run with
 * the recording command twin and temp paths. Nothing here touches this machine's network.
 */
class SetupCommandTest {
    private static final Set<String> TOOLS = Set.of("ip", "iptables", "cloud-hypervisor");

    @Test
    void ac_c11_a_dry_run_as_non_root_prints_every_command_and_the_dry_run_line() {
        Cli.Result r = new Cli().run("setup", "--dry-run");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                Commands to run:
                  mkdir -p /home/op/.volant/run
                  mkdir -p /home/op/.volant/logs
                  mkdir -p /var/lib/volant
                  mkdir -p /var/lib/volant/kernel
                  ip link add vbr0 type bridge
                  ip addr replace 192.168.127.1/24 dev vbr0
                  ip link set vbr0 up
                  echo '1' > /proc/sys/net/ipv4/ip_forward
                  iptables -t nat -A POSTROUTING -s 192.168.127.0/24 ! -o vbr0 -j MASQUERADE
                  iptables -A FORWARD -i vbr0 -j ACCEPT
                  iptables -A FORWARD -o vbr0 -j ACCEPT
                  write service file /etc/systemd/system/volantd.service
                  systemctl daemon-reload
                  systemctl enable --now volantd
                Dry run complete. Re-run without --dry-run as root to apply changes.
                """);
    }

    @Test
    void ac_c11_without_dry_run_a_non_root_user_is_refused_before_anything_runs() {
        Cli.Result r = new Cli().run("setup", "--work-dir", "/var/lib/volant", "--bridge", "vbr0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("Error: volar setup must be run as root (use --dry-run to preview)\n");
    }

    @Test
    void a_real_run_as_root_runs_the_commands_in_order_and_writes_and_enables_the_unit(@TempDir Path tmp)
            throws Exception {
        RecordingHostCommands commands = new RecordingHostCommands() // fresh host: no rule present yet
                .failOn("iptables -t nat -C", 1, "").failOn("iptables -C", 1, "");
        Path unit = tmp.resolve("systemd/volantd.service");
        Cli cli = new Cli().host(new Cli.FakeHost(true, TOOLS))
                .setup(new SetupEffects(commands, tmp.resolve("sysctl.d/99-volant.conf")));

        // The documented installer form, pointed at temp paths; it must not prompt.
        Cli.Result r = cli.run("setup", "--work-dir", tmp.resolve("work").toString(), "--bridge", "vbr0",
                "--subnet", "192.168.127.0/24", "--host-ip", "192.168.127.1", "--runtime-dir",
                tmp.resolve("run").toString(), "--log-dir", tmp.resolve("logs").toString(), "--service-file",
                unit.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(commands.commands()).containsExactly(
                "ip link add vbr0 type bridge",
                "ip addr replace 192.168.127.1/24 dev vbr0",
                "ip link set vbr0 up",
                "sysctl -q -w net.ipv4.ip_forward=1",
                "iptables -t nat -C POSTROUTING -s 192.168.127.0/24 ! -o vbr0 -j MASQUERADE",
                "iptables -t nat -A POSTROUTING -s 192.168.127.0/24 ! -o vbr0 -j MASQUERADE",
                "iptables -C FORWARD -i vbr0 -j ACCEPT",
                "iptables -A FORWARD -i vbr0 -j ACCEPT",
                "iptables -C FORWARD -o vbr0 -j ACCEPT",
                "iptables -A FORWARD -o vbr0 -j ACCEPT",
                "systemctl daemon-reload",
                "systemctl enable --now volantd");
        assertThat(r.out()).isEqualTo("""
                Commands executed:
                  ip link add vbr0 type bridge
                  ip addr replace 192.168.127.1/24 dev vbr0
                  ip link set vbr0 up
                  echo '1' > /proc/sys/net/ipv4/ip_forward
                  iptables -t nat -A POSTROUTING -s 192.168.127.0/24 ! -o vbr0 -j MASQUERADE
                  iptables -A FORWARD -i vbr0 -j ACCEPT
                  iptables -A FORWARD -o vbr0 -j ACCEPT
                  write service file %s
                  systemctl daemon-reload
                  systemctl enable --now volantd
                Setup completed successfully.
                """.formatted(unit));
        assertThat(Files.readString(unit))
                .contains("WorkingDirectory=" + tmp.resolve("work") + "\n",
                        "Environment=VOLANT_HOST_IP=192.168.127.1\n",
                        "Environment=VOLANT_HYPERVISOR=/usr/bin/cloud-hypervisor\n",
                        "ExecStart=/usr/local/bin/volantd\n")
                .endsWith("[Install]\nWantedBy=multi-user.target\n");
        assertThat(Files.readString(tmp.resolve("sysctl.d/99-volant.conf"))).isEqualTo("net.ipv4.ip_forward = 1\n");
        assertThat(tmp.resolve("run")).isDirectory();
        assertThat(tmp.resolve("logs")).isDirectory();
        assertThat(tmp.resolve("work/kernel")).isDirectory();
    }

    @Test
    void a_failing_command_stops_the_run_with_its_error_and_exit_1(@TempDir Path tmp) {
        RecordingHostCommands commands = new RecordingHostCommands()
                .failOn("ip link set", 2, "Cannot find device \"vbr0\"\n");
        Path unit = tmp.resolve("volantd.service");
        Cli cli = new Cli().host(new Cli.FakeHost(true, TOOLS))
                .setup(new SetupEffects(commands, tmp.resolve("99-volant.conf")));

        Cli.Result r = cli.run("setup", "--work-dir", tmp.resolve("work").toString(), "--runtime-dir",
                tmp.resolve("run").toString(), "--log-dir", tmp.resolve("logs").toString(), "--service-file",
                unit.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("Error: run [ip link set vbr0 up]: Cannot find device \"vbr0\"\n");
        assertThat(commands.commands()).last().isEqualTo("ip link set vbr0 up");
        assertThat(commands.commands()).noneMatch(c -> c.startsWith("iptables") || c.startsWith("systemctl"));
        assertThat(unit).doesNotExist();
    }

    @Test
    void an_empty_service_file_skips_the_unit_and_systemctl(@TempDir Path tmp) {
        RecordingHostCommands commands = new RecordingHostCommands();
        Cli cli = new Cli().host(new Cli.FakeHost(true, TOOLS))
                .setup(new SetupEffects(commands, tmp.resolve("99-volant.conf")));

        Cli.Result r = cli.run("setup", "--work-dir", tmp.resolve("work").toString(), "--runtime-dir",
                tmp.resolve("run").toString(), "--log-dir", tmp.resolve("logs").toString(), "--service-file", "");

        assertThat(r.exit()).isZero();
        assertThat(commands.commands()).noneMatch(c -> c.startsWith("systemctl"));
        // Every rule already present (-C succeeds): a rerun adds none and records none.
        assertThat(r.outLines()).noneMatch(l -> l.contains("iptables") || l.contains("service file"))
                .endsWith("Setup completed successfully.");
    }

    @Test
    void a_dry_run_without_the_tools_warns_but_a_real_run_refuses() {
        Cli bare = new Cli().host(new Cli.FakeHost(true, Set.of()));
        Cli.Result dry = bare.run("setup", "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.err()).contains("warning: required binary iptables not found in PATH",
                "warning: required binary cloud-hypervisor not found in PATH");

        Cli.Result real = bare.run("setup");
        assertThat(real.exit()).isEqualTo(1);
        assertThat(real.err()).isEqualTo("Error: required binary ip not found in PATH\n");
    }

    @Test
    void qemu_satisfies_the_hypervisor_requirement() {
        Cli.Result r = new Cli().host(new Cli.FakeHost(false, Set.of("ip", "iptables", "qemu-system-x86_64")))
                .run("setup", "--dry-run");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void environment_defaults_apply_and_host_ip_reads_the_corrected_variable() {
        Cli.Result r = new Cli().env("VOLANT_BRIDGE", "br7").env("VOLANT_SUBNET", "10.7.0.0/24")
                .env("VOLANT_HOST_IP", "10.7.0.1").run("setup", "--dry-run");
        assertThat(r.outLines()).contains("  ip link add br7 type bridge", "  ip addr replace 10.7.0.1/24 dev br7");

        Cli.Result legacy = new Cli().env("volant_HOST_IP", "192.168.127.9").run("setup", "--dry-run");
        assertThat(legacy.outLines()).contains("  ip addr replace 192.168.127.9/24 dev vbr0");

        Cli.Result bad = new Cli().run("setup", "--dry-run", "--host-ip", "10.0.0.1");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("Error: host ip 10.0.0.1 not in subnet 192.168.127.0/24\n");
    }

    @Test
    void the_resolver_applies_defaults_and_makes_paths_absolute() {
        SetupOptions o = SetupResolver.resolve(new SetupFlags("", "", "", "~/run", "logs", "", "work", "", "",
                "", "", "/home/op", "/tmp/here"));
        assertThat(o.runtimeDir()).isEqualTo("/home/op/run");
        assertThat(o.logDir()).isEqualTo("/tmp/here/logs");
        assertThat(o.workDir()).isEqualTo("/tmp/here/work");
        assertThat(o.bzImage()).isEqualTo("/tmp/here/work/kernel/bzImage");
        assertThat(o.hostCidr()).isEqualTo("192.168.127.1/24");
        assertThat(o.serviceFile()).isEmpty();
    }

    @Test
    void bad_addresses_are_refused_with_the_spec_messages() {
        assertThatThrownBy(() -> SetupResolver.resolve(with("bad", "192.168.127.1")))
                .hasMessageStartingWith("invalid subnet bad: ");
        assertThatThrownBy(() -> SetupResolver.resolve(with("192.168.127.0/24", "nope")))
                .hasMessage("invalid host ip nope");
        assertThatThrownBy(() -> SetupResolver.resolve(with("192.168.127.0/24", "10.0.0.1")))
                .hasMessage("host ip 10.0.0.1 not in subnet 192.168.127.0/24");
    }

    private static SetupFlags with(String subnet, String hostIp) {
        return new SetupFlags("", subnet, hostIp, "", "", "", "", "", "", "", "", "/root", "/");
    }
}
