package io.volant.volantd.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.UpstreamException;
import io.volant.volantd.testing.EngineCase;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine side of control-plane.md §9 (Chosen, §2.10 item 5): routes follow the VM's lifecycle. */
class DriftEngineTest extends EngineCase {
    DriftEngineTest() {
        super("caddy", 1, 128);
    }

    private static VmConfig exposing(int hostPort) {
        return VmConfigCodec.fromJsonString("{\"plugin\":\"caddy\",\"expose\":[{\"port\":80,\"host_port\":" + hostPort + "}]}");
    }

    private Vm create(String name, int hostPort) {
        return vms.create(new CreateVmRequest(name, "caddy", "", 0, 0, "", "", "", exposing(hostPort)));
    }

    @Test
    void create_applies_the_routes_stop_removes_them_start_reapplies_and_destroy_removes_them() {
        Vm web = create("web", 8080);
        assertThat(e.drift.routes()).containsOnlyKeys("tcp/8080");
        assertThat(e.drift.routes().get("tcp/8080").path("backend").path("ip").asText()).isEqualTo(web.ipAddress());

        vms.stop("web");
        assertThat(e.drift.routes()).isEmpty();

        vms.start("web");
        assertThat(e.drift.routes()).containsOnlyKeys("tcp/8080");

        vms.destroy("web");
        assertThat(e.drift.routes()).isEmpty();
    }

    @Test
    void an_exit_removes_the_routes() {
        create("web", 8080);
        e.launcher.kill("web", "KILL");
        await().atMost(Duration.ofSeconds(10)).until(() -> e.drift.routes().isEmpty());
    }

    @Test
    void routes_of_a_vm_that_died_with_volantd_are_removed_at_the_next_start() {
        create("web", 8080);
        e.crashAndReopen();
        vms = e.volantd.vms();

        assertThat(vms.get("web").status()).isEqualTo(VmStatus.CRASHED);
        assertThat(e.drift.routes()).isEmpty();
        create("api", 8080); // the key is free again
        assertThat(e.drift.routes()).containsOnlyKeys("tcp/8080");
    }

    @Test
    void a_standalone_vm_exposing_a_used_port_fails_with_409_and_is_rolled_back() {
        create("web", 8080);

        assertThatThrownBy(() -> create("api", 8080)).isInstanceOf(ConflictException.class)
                .hasMessage("expose host_port tcp/8080 already used by vm web");

        assertThat(vms.find("api")).isEmpty();
        assertThat(e.drift.routes().get("tcp/8080").path("backend").path("ip").asText())
                .isEqualTo(vms.get("web").ipAddress());
    }

    @Test
    void a_failed_route_apply_rolls_back_create_and_leaves_a_started_vm_stopped() {
        e.drift.failUpserts("tcp/9000", 500);
        assertThatThrownBy(() -> create("web", 9000)).isInstanceOf(UpstreamException.class)
                .hasMessage("apply drift route tcp/9000: injected failure for tcp/9000");
        assertThat(vms.find("web")).isEmpty();

        create("api", 8080);
        vms.stop("api");
        vms.patchConfig("api", io.volant.manifest.Manifests.mapper().createObjectNode().set("expose",
                io.volant.manifest.Manifests.mapper().createArrayNode().add(io.volant.manifest.Manifests.mapper()
                        .createObjectNode().put("port", 80).put("host_port", 9000))));
        assertThatThrownBy(() -> vms.start("api")).isInstanceOf(UpstreamException.class);
        assertThat(vms.get("api").status()).isEqualTo(VmStatus.STOPPED);
        assertThat(e.drift.routes()).isEmpty();
    }

    @Test
    void deployment_members_share_the_routes_and_the_lowest_running_member_takes_over_from_a_stopped_owner() {
        e.volantd.deployments().create("demo", 3, exposing(8080));
        assertThat(e.drift.routes().get("tcp/8080").path("backend").path("ip").asText())
                .isEqualTo(vms.get("demo-1").ipAddress());

        vms.stop("demo-1");

        await().atMost(Duration.ofSeconds(10)).until(() -> e.drift.routes().containsKey("tcp/8080")
                && e.drift.routes().get("tcp/8080").path("backend").path("ip").asText().equals(vms.get("demo-2").ipAddress()));
        assertThatThrownBy(() -> create("web", 8080)).isInstanceOf(ConflictException.class)
                .hasMessage("expose host_port tcp/8080 already used by vm demo-2");
    }
}
