package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.manifest.Manifests;
import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The domain records serialize to the spec's JSON with the shared mapper (api-and-cli.md §1.6, control-plane.md §4.1, §7.3). */
class JsonShapesTest {
    private final ObjectMapper m = Manifests.mapper();

    @Test
    void vm_json_omits_null_pid_zero_cid_and_standalone_deployment() throws Exception {
        Vm vm = new Vm(1, "web-1", VmStatus.RUNNING, "caddy", null, "", "02:00:00:00:00:01", 0, 2, 512, "console=ttyS0",
                "", null, Instant.parse("2025-10-07T03:44:18Z"), null, "running", null);
        JsonNode j = m.readTree(m.writeValueAsString(vm));
        assertThat(j.get("status").asText()).isEqualTo("running");
        assertThat(j.get("ip_address").asText()).isEmpty();
        assertThat(j.get("created_at").asText()).isEqualTo("2025-10-07T03:44:18Z");
        assertThat(j.has("pid")).isFalse();
        assertThat(j.has("vsock_cid")).isFalse();
        assertThat(j.has("deployment")).isFalse();
        assertThat(j.has("updated_at")).isFalse();
        assertThat(j.has("desired_state")).isFalse();
    }

    @Test
    void config_json_follows_the_omission_rules_and_round_trips() throws Exception {
        String in = "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":512},"
                + "\"manifest\":{\"name\":\"caddy\",\"runtime\":\"caddy\"},\"expose\":[{\"port\":80,\"host_port\":8080}],"
                + "\"devices\":{\"vfio\":[\"0000:01:00.0\"]},\"unknown\":1}";
        VmConfig c = VmConfigs.normalize(VmConfigCodec.fromJson(m.readTree(in)));
        JsonNode out = m.readTree(m.writeValueAsString(c));
        assertThat(out.get("api").isObject()).isTrue();
        assertThat(out.get("api").size()).isZero();
        assertThat(out.has("runtime")).isFalse();
        assertThat(out.get("expose").get(0).get("protocol").asText()).isEqualTo("tcp");
        assertThat(out.get("devices").get("pci_passthrough").get(0).asText()).isEqualTo("0000:01:00.0");
        assertThat(VmConfigCodec.fromJson(out)).isEqualTo(c);
    }

    @Test
    void wrong_types_name_the_member() throws Exception {
        assertThatThrownBy(() -> VmConfigCodec.fromJson(m.readTree("{\"resources\":{\"cpu_cores\":\"two\"}}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("vmconfig: decode: resources.cpu_cores must be an integer");
        assertThatThrownBy(() -> VmConfigCodec.fromJson(m.readTree("[]"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> VmConfigCodec.fromJsonString("")).hasMessage("vmconfig: empty configuration payload");
    }

    @Test
    void deployment_and_event_json_use_the_spec_keys() throws Exception {
        Deployment d = new Deployment("web", 3, 2, VmConfig.of("caddy", 2, 512), Instant.EPOCH, Instant.EPOCH, 1, 3, 2,
                io.volant.volantd.deployment.Rollout.COMPLETE, io.volant.volantd.deployment.Strategy.DEFAULT, "Available",
                List.of());
        assertThat(m.readTree(m.writeValueAsString(d)).get("rollout").get("status").asText()).isEqualTo("complete");
        JsonNode j = m.readTree(m.writeValueAsString(d));
        assertThat(j.get("desired_replicas").asInt()).isEqualTo(3);
        assertThat(j.get("ready_replicas").asInt()).isEqualTo(2);
        assertThat(j.get("config").get("plugin").asText()).isEqualTo("caddy");
        VmEvent e = VmEvent.lifecycle(EventType.VM_RUNNING, "web-1", "running", "192.168.127.2", "02:1a:2b:3c:4d:5e", 4242L,
                Instant.parse("2025-10-05T17:46:06.123456789Z"), "vm started");
        JsonNode ej = m.readTree(m.writeValueAsString(e));
        assertThat(ej.get("timestamp").asText()).isEqualTo("2025-10-05T17:46:06.123456789Z");
        assertThat(ej.get("type").asText()).isEqualTo("VM_RUNNING");
        assertThat(ej.has("stream")).isFalse();
        VmEvent deleted = VmEvent.lifecycle(EventType.VM_DELETED, "x", "", "", "", null, Instant.EPOCH, "");
        JsonNode dj = m.readTree(m.writeValueAsString(deleted));
        assertThat(dj.get("status").asText()).isEmpty();
        assertThat(List.of(dj.fieldNames().next())).isNotEmpty();
        assertThat(dj.has("pid")).isFalse();
        assertThat(dj.has("message")).isFalse();
    }
}
