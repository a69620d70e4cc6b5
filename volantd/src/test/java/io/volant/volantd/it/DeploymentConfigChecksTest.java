package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 item 3: a deployment's config is checked when the deployment is created or updated, with every check of
 * VM creation and its messages, so that its replicas are created without checking again: each config below is
 * refused by {@code POST /vms}, {@code POST /deployments} and {@code PATCH /deployments/<name>} with the same 400,
 * which names the field, and nothing is written.
 */
class DeploymentConfigChecksTest {
    /** An invalid config → the field its 400 must name. */
    private static final Map<String, String> INVALID = Map.of(
            "{\"plugin\":\"caddy\",\"expose\":[{\"port\":0}]}", "expose port",
            "{\"plugin\":\"caddy\",\"expose\":[{\"port\":80,\"protocol\":\"sctp\"}]}", "expose protocol",
            "{\"plugin\":\"caddy\",\"network\":{\"mode\":\"wifi\"}}", "network",
            "{\"plugin\":\"caddy\",\"cloud_init\":{\"datasource\":\"NoCloud\",\"user_data\":{\"content\":\"#cloud-config\","
                    + "\"path\":\"/seed/user-data\",\"inline\":true}}}", "user_data",
            "{\"plugin\":\"caddy\",\"cloud_init\":{\"datasource\":\"NoCloud\",\"seed_mode\":\"iso\"}}", "seed_mode",
            "{\"plugin\":\"caddy\",\"runtime\":\"firecracker\"}", "runtime",
            "{\"plugin\":\"caddy\",\"rootfs\":{\"url\":\"relative/disk.img\"}}", "rootfs url",
            "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2147483647,\"memory_mb\":128}}", "cpu_cores");

    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    @Test
    void a_deployment_config_is_refused_exactly_as_a_vm_create_refuses_it() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":0,\"config\":{\"plugin\":\"caddy\"}}")
                .status()).isEqualTo(201);
        List<String> before = Db.snapshot(volantd.dir().resolve("state.db"));
        INVALID.forEach((config, field) -> {
            Api.Resp vm = api.post("/api/v1/vms", "{\"name\":\"solo\",\"config\":" + config + "}");
            assertThat(vm.status()).as("vm create with %s: %s", config, vm).isEqualTo(400);
            assertThat(vm.error()).as(config).contains(field);
            Api.Resp created = api.post("/api/v1/deployments", "{\"name\":\"new\",\"replicas\":1,\"config\":" + config + "}");
            assertThat(created.status()).as("deployment create with %s: %s", config, created).isEqualTo(400);
            assertThat(created.error()).as(config).isEqualTo(vm.error());
            Api.Resp patched = api.patch("/api/v1/deployments/web", "{\"config\":" + config + "}");
            assertThat(patched.status()).as("deployment update with %s: %s", config, patched).isEqualTo(400);
            assertThat(patched.error()).as(config).isEqualTo(vm.error());
        });
        assertThat(Db.snapshot(volantd.dir().resolve("state.db"))).isEqualTo(before);
    }
}
