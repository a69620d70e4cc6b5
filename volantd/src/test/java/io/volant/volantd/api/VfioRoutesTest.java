package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.vfio.FakeSysfs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/vfio/devices/info} and {@code iommu-groups} (api-and-cli.md §2.8) over a fake sysfs tree. */
class VfioRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    @TempDir
    Path root;
    ApiServer server;

    @BeforeEach
    void start() throws Exception {
        FakeSysfs sysfs = new FakeSysfs(root);
        sysfs.device("0000:01:00.0", "0x10de", "0x2204", "nvidia", "12", "0");
        sysfs.device("0000:02:00.0", "0x8086", "0x1533", null, "3", null);
        ApiServices services = new ApiServices(null, null, null, null, sysfs.manager(),
                new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), AgentGateway.none(), DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server = new ApiServer(ApiSettings.defaults(), services).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> post(String route, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/vfio/devices/" + route))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void info_answers_the_spec_members() throws Exception {
        var r = post("info", "{\"pci_address\":\"0000:01:00.0\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"address\":\"0000:01:00.0\",\"vendor\":\"10de\",\"device\":\"2204\","
                + "\"driver\":\"nvidia\",\"iommu_group\":\"12\",\"numa_node\":\"0\"}");
    }

    @Test
    void info_errors_are_400_for_a_bad_body_or_address_and_500_for_a_missing_device() throws Exception {
        assertThat(post("info", "{}").statusCode()).isEqualTo(400);
        var bad = post("info", "{\"pci_address\":\"../x\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText())
                .isEqualTo("invalid PCI address format: ../x (expected format: 0000:01:00.0)");
        var missing = post("info", "{\"pci_address\":\"0000:09:00.0\"}");
        assertThat(missing.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(missing.body()).path("error").asText()).isEqualTo("device not found: 0000:09:00.0");
        assertThat(JSON.readTree(missing.body()).path("code").asText()).isEqualTo("internal");
    }

    @Test
    void iommu_groups_are_listed_in_numeric_order_and_ignore_the_allowlist() throws Exception {
        var r = post("iommu-groups", "{\"pci_addresses\":[\"0000:01:00.0\",\"0000:02:00.0\"],\"allowlist\":[\"1234:*\"]}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode groups = JSON.readTree(r.body());
        assertThat(groups.toString()).isEqualTo("[{\"id\":\"3\",\"devices\":[\"0000:02:00.0\"]},"
                + "{\"id\":\"12\",\"devices\":[\"0000:01:00.0\"]}]");
        assertThat(post("iommu-groups", "{}").statusCode()).isEqualTo(400);
        var missing = post("iommu-groups", "{\"pci_addresses\":[\"0000:09:00.0\"]}");
        assertThat(missing.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(missing.body()).path("error").asText()).isEqualTo("device not found: 0000:09:00.0");
        assertThat(JSON.readTree(missing.body()).path("code").asText()).isEqualTo("internal");
    }

    @Test
    void a_failed_bind_keeps_success_false_and_carries_the_error_shape() throws Exception {
        var failed = post("bind", "{\"pci_addresses\":[\"0000:09:00.0\"]}");
        assertThat(failed.statusCode()).isEqualTo(500);
        var body = JSON.readTree(failed.body());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("code").asText()).isEqualTo("internal");
    }
}
