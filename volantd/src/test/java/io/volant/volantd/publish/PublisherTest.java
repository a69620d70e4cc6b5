package io.volant.volantd.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.network.InMemoryPortForwarding;
import io.volant.volantd.network.PortForwarding.Forward;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher over a real engine (simulated VMs, agent health from the simulated agent stub) and the in-memory
 * kernel NAT twin: ready sets, scale, owners going away, failures, shutdown and restart reconstruction.
 */
class PublisherTest {
    @TempDir
    Path dir;
    Engine e;

    @BeforeEach
    void setUp() {
        e = Engine.publishing(dir);
        e.install("caddy", 1, 128);
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    static VmConfig template(VmConfig.Expose... rules) {
        return VmConfig.of("caddy", 0, 0).withExpose(List.of(rules));
    }

    static VmConfig.Expose rule(String protocol, int hostPort, int port) {
        return new VmConfig.Expose("", protocol, port, hostPort, "");
    }

    private String ip(String vm) {
        return e.volantd.vms().get(vm).ipAddress();
    }

    private List<Forward> pass() {
        e.volantd.health().orElseThrow().probeAll();
        e.volantd.publisher().reconcile();
        return e.forwarding.current();
    }

    @Test
    void a_deployment_port_goes_to_every_ready_member_and_follows_readiness() {
        e.volantd.deployments().create("web", 3, template(rule("tcp", 8080, 80)));
        assertThat(e.volantd.publisher().reconcile().publications()).singleElement()
                .extracting(Publication::state).isEqualTo("waiting"); // each launch starts unhealthy
        assertThat(e.forwarding.current()).isEmpty();

        assertThat(pass()).containsExactly(new Forward("tcp", 8080, List.of(ip("web-1"), ip("web-2"), ip("web-3")),
                80, "deployment web"));

        e.launcher.setHealth("web-2", false, 503);
        pass();
        pass();
        assertThat(pass()).singleElement().extracting(Forward::backends)
                .isEqualTo(List.of(ip("web-1"), ip("web-3")));

        e.launcher.setHealth("web-2", true, 200);
        assertThat(pass()).singleElement().extracting(Forward::backends)
                .isEqualTo(List.of(ip("web-1"), ip("web-2"), ip("web-3")));
    }

    @Test
    void a_member_whose_vm_exits_leaves_the_set_on_the_next_pass() {
        e.volantd.deployments().create("web", 2, template(rule("tcp", 8080, 80)));
        pass();
        String gone = ip("web-1");
        e.launcher.kill("web-1", "SIGKILL");
        e.volantd.publisher().reconcile();
        assertThat(e.forwarding.current()).singleElement().extracting(Forward::backends)
                .isEqualTo(List.of(ip("web-2")));
        assertThat(e.forwarding.current().getFirst().backends()).doesNotContain(gone);

        // Self-healing relaunches it; the new instance joins only after its own healthy probe.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            e.clock.advance(Duration.ofSeconds(2));
            e.volantd.controller().reconcileNow("web");
            return e.volantd.vms().isLive("web-1");
        });
        e.volantd.publisher().reconcile();
        assertThat(e.forwarding.current().getFirst().backends()).containsExactly(ip("web-2"));
        assertThat(pass().getFirst().backends()).containsExactly(ip("web-1"), ip("web-2"));
    }

    @Test
    void scaling_adds_and_removes_members() {
        e.volantd.deployments().create("web", 2, template(rule("tcp", 8080, 80)));
        assertThat(pass().getFirst().backends()).hasSize(2);
        e.volantd.deployments().scale("web", 5);
        assertThat(pass().getFirst().backends()).containsExactly(ip("web-1"), ip("web-2"), ip("web-3"), ip("web-4"),
                ip("web-5"));
        e.volantd.deployments().scale("web", 1);
        assertThat(pass().getFirst().backends()).containsExactly(ip("web-1"));
    }

    @Test
    void several_deployments_and_a_vm_publish_tcp_and_udp_side_by_side() {
        e.volantd.deployments().create("web", 2, template(rule("tcp", 8080, 80), rule("udp", 8080, 80)));
        e.volantd.deployments().create("dns", 1, template(rule("udp", 5353, 53)));
        e.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                template(rule("tcp", 9000, 9000))));
        assertThat(pass()).containsExactly(
                new Forward("udp", 5353, List.of(ip("dns-1")), 53, "deployment dns"),
                new Forward("tcp", 8080, List.of(ip("web-1"), ip("web-2")), 80, "deployment web"),
                new Forward("udp", 8080, List.of(ip("web-1"), ip("web-2")), 80, "deployment web"),
                new Forward("tcp", 9000, List.of(ip("solo")), 9000, "vm solo"));
    }

    @Test
    void no_forward_outlives_its_vm_or_deployment() {
        e.volantd.deployments().create("web", 1, template(rule("tcp", 8080, 80)));
        e.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                template(rule("tcp", 9000, 9000))));
        assertThat(pass()).hasSize(2);
        e.volantd.vms().destroy("solo");
        e.volantd.deployments().delete("web");
        assertThat(pass()).isEmpty();
        assertThat(e.volantd.publisher().plan().publications()).isEmpty();
    }

    @Test
    void a_failed_transaction_is_retried_on_the_next_pass() {
        e.volantd.deployments().create("web", 1, template(rule("tcp", 8080, 80)));
        e.forwarding.failReplaces(1);
        e.volantd.health().orElseThrow().probeAll(); // the member turns ready: its verdict wakes a pass, which fails
        await().atMost(Duration.ofSeconds(30)).until(() -> e.forwarding.pendingFailures() == 0);
        // Not "still empty" here: another wake-up (a VM event, the deployment's pass) may already have run the next
        // pass. What must not happen is a publisher that took the failed plan for applied and never tries again.
        e.volantd.publisher().reconcile();
        assertThat(e.forwarding.current()).singleElement().extracting(Forward::key).isEqualTo("tcp/8080");
    }

    @Test
    void vm_events_wake_the_publisher_without_a_pass_by_hand() {
        e.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                template(rule("tcp", 9000, 9000))));
        await().atMost(Duration.ofSeconds(30)).until(() -> e.forwarding.current().equals(
                List.of(new Forward("tcp", 9000, List.of(ip("solo")), 9000, "vm solo"))));
        e.volantd.vms().stop("solo");
        await().atMost(Duration.ofSeconds(30)).until(() -> e.forwarding.current().isEmpty());
    }

    @Test
    void a_health_verdict_that_flips_wakes_the_publisher() {
        e.volantd.deployments().create("web", 1, template(rule("tcp", 8080, 80)));
        assertThat(e.volantd.publisher().reconcile().forwards()).isEmpty(); // not ready before its first probe
        e.volantd.health().orElseThrow().probeAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> e.forwarding.current().equals(
                List.of(new Forward("tcp", 8080, List.of(ip("web-1")), 80, "deployment web"))));
    }

    @Test
    void a_failed_transaction_is_retried_when_the_injected_clock_reaches_the_resync() {
        // Every pass fails until the VM has settled: the VM's events wake several passes, and with one injected
        // failure a later one could apply the table before the clock moves.
        e.forwarding.failReplaces(Integer.MAX_VALUE);
        e.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                template(rule("tcp", 9000, 9000))));
        await().atMost(Duration.ofSeconds(30)).until(() -> e.volantd.vms().get("solo").status() == VmStatus.RUNNING
                && e.forwarding.pendingFailures() < Integer.MAX_VALUE);
        assertThat(e.forwarding.current()).isEmpty();
        e.forwarding.failReplaces(0);
        e.clock.advance(Publisher.RESYNC);
        await().atMost(Duration.ofSeconds(30)).until(() -> e.forwarding.current().size() == 1);
    }

    @Test
    void an_unchanged_plan_is_not_applied_again() {
        e.volantd.deployments().create("web", 1, template(rule("tcp", 8080, 80)));
        pass();
        int before = e.forwarding.transactions();
        pass();
        pass();
        assertThat(e.forwarding.transactions()).isEqualTo(before);
    }

    @Test
    void shutdown_removes_the_table() {
        e.volantd.deployments().create("web", 1, template(rule("tcp", 8080, 80)));
        pass();
        assertThat(e.forwarding.present()).isTrue();
        e.volantd.close();
        assertThat(e.forwarding.present()).isFalse();
        assertThat(e.forwarding.current()).isEmpty();
    }

    @Test
    void after_a_crash_the_table_is_rebuilt_from_the_database_not_from_what_the_kernel_kept() {
        e.volantd.deployments().create("web", 2, template(rule("tcp", 8080, 80)));
        List<Forward> before = pass();
        assertThat(before).hasSize(1);

        e.crashAndReopen(); // the kernel keeps the table; the simulated VMs died with the process
        // The first pass at start replaced the stale table: no forward to the dead members.
        assertThat(e.forwarding.current()).isEmpty();
        assertThat(e.volantd.publisher().plan().publications()).singleElement()
                .extracting(Publication::state).isEqualTo("waiting");

        // The controller brings the members back, one step per pass, each after self-healing's backoff (measured
        // on the test's clock); once healthy they are published again.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            e.clock.advance(Duration.ofSeconds(2));
            e.volantd.controller().reconcileNow("web");
            return e.volantd.vms().isLive("web-1") && e.volantd.vms().isLive("web-2");
        });
        assertThat(pass()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("tcp/8080");
            assertThat(f.backends()).containsExactly(ip("web-1"), ip("web-2"));
        });
    }

    @Test
    void a_fresh_kernel_gets_the_table_from_the_database_at_start() {
        e.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                template(rule("udp", 5353, 53))));
        pass();
        e.volantd.close();
        e.forwarding = new InMemoryPortForwarding(); // a reboot: empty ruleset
        e.reopen();
        assertThat(e.forwarding.present()).isTrue();
        assertThat(e.volantd.publisher().plan().publications()).singleElement()
                .extracting(Publication::key).isEqualTo("udp/5353");
    }

    @Test
    void with_driftd_configured_the_kernel_nat_is_never_touched() {
        try (Engine drift = new Engine(dir.resolve("drift"))) {
            drift.install("caddy", 1, 128);
            drift.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                    template(rule("tcp", 9000, 9000))));
            assertThat(drift.volantd.publisher().reconcile().publications()).singleElement()
                    .extracting(Publication::state).isEqualTo("driftd");
            assertThat(drift.drift.routes()).containsKey("tcp/9000");
            drift.volantd.close();
            assertThat(drift.forwarding.transactions()).isZero();
            assertThat(drift.forwarding.present()).isFalse();
        }
    }
}
