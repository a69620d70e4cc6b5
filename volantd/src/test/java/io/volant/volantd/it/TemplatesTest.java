package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Subscription;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.template.SimulatedTemplating;
import io.volant.volantd.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Templates through the API of a real volantd on SQLite with the simulated backend (docs/templates.md): replicas
 * start as clones of one template per launch configuration, opting out and failures boot cold or replace the clone,
 * garbage collection and restart adoption keep rows and files in step.
 */
class TemplatesTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static String deployment(String name, int replicas, String extra) {
        return "{\"name\":\"" + name + "\",\"replicas\":" + replicas
                + ",\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}" + extra + "}}";
    }

    private Api started() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        return api;
    }

    private SimulatedTemplating sim() {
        return volantd.daemon().volantd().simulatedTemplates().orElseThrow();
    }

    private Subscription events() {
        return volantd.daemon().volantd().events().subscribe(Topics.VM_EVENTS, 1024);
    }

    private static List<VmEvent> drain(Subscription s) throws InterruptedException {
        List<VmEvent> out = new ArrayList<>();
        for (VmEvent e; (e = s.poll(Duration.ofMillis(200))) != null; ) {
            out.add(e);
        }
        return out;
    }

    private static long count(List<VmEvent> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    private List<String> templateFiles() throws IOException {
        Path dir = volantd.dir().resolve("run/templates");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void awaitTemplates(Api api, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(templates(api).path("count").asInt()).isEqualTo(count));
    }

    private static JsonNode templates(Api api) {
        return api.get("/api/v1/system/info").json().path("templates");
    }

    @Test
    void the_first_replica_boots_cold_while_the_template_is_made_and_later_ones_are_its_clones() throws Exception {
        Api api = started();
        try (Subscription sub = events()) {
            assertThat(api.post("/api/v1/deployments", deployment("web", 1, "")).status()).isEqualTo(201);
            awaitTemplates(api, 1);
            assertThat(api.patch("/api/v1/deployments/web", "{\"replicas\":5}").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.get("/api/v1/deployments/web").json().path("ready_replicas").asInt()).isEqualTo(5));
            List<VmEvent> ev = drain(sub);
            assertThat(count(ev, EventType.TEMPLATE_CREATED)).isEqualTo(1);
            assertThat(count(ev, EventType.CLONE_STARTED)).isEqualTo(4);
        }
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("template capture started, replica boots cold")
                && l.contains("vm=web-1"));
        assertThat(sim().captures()).isEqualTo(1);
        assertThat(sim().clones()).containsExactlyInAnyOrder("web-2", "web-3", "web-4", "web-5");
        JsonNode t = templates(api);
        assertThat(t.path("count").asInt()).isEqualTo(1);
        assertThat(t.path("memory_bytes").asLong()).isPositive();
        assertThat(t.path("disk_bytes").asLong()).isPositive();
        assertThat(templateFiles()).hasSize(2).allMatch(f -> f.matches("tpl-[0-9a-f]{16}\\.(ram|state)"));
        String metrics = api.get("/metrics").body();
        assertThat(metrics).containsPattern("(?m)^volant_templates(\\{[^}]*\\})? 1(\\.0)?$")
                .containsPattern("(?m)^volant_clone_start_duration_seconds_count(\\{[^}]*\\})? 4(\\.0)?$")
                .contains("volant_clone_start_duration_seconds_bucket");
        // Two clones never share an IP, a MAC or a CID: they come from the normal allocation.
        List<JsonNode> vms = new ArrayList<>();
        api.get("/api/v1/vms").json().forEach(vms::add);
        assertThat(vms).hasSize(5);
        assertThat(vms.stream().map(v -> v.path("ip_address").asText()).distinct()).hasSize(5);
        assertThat(vms.stream().map(v -> v.path("mac_address").asText()).distinct()).hasSize(5);
    }

    @Test
    void a_config_with_template_false_boots_cold_and_standalone_vms_never_clone() throws Exception {
        Api api = started();
        assertThat(api.post("/api/v1/deployments", deployment("cold", 2, ",\"template\":false")).status())
                .isEqualTo(201);
        assertThat(api.get("/api/v1/deployments/cold").json().path("config").path("template").asBoolean(true))
                .isFalse();
        assertThat(api.post("/api/v1/vms", "{\"name\":\"solo\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/v1/deployments/cold").json().path("ready_replicas").asInt()).isEqualTo(2));
        assertThat(sim().captures()).isZero();
        assertThat(sim().clones()).isEmpty();
        assertThat(templates(api).path("count").asInt()).isZero();
        assertThat(templateFiles()).isEmpty();
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("replica boots cold vm=cold-1")
                && l.contains("opts out"));
    }

    @Test
    void template_field_of_the_wrong_type_is_a_400_naming_it() {
        Api api = started();
        Api.Resp r = api.post("/api/v1/deployments", deployment("bad", 1, ",\"template\":\"no\""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("template must be a boolean");
    }

    @Test
    void a_failed_template_boot_falls_back_to_cold_boots_with_a_warning_and_an_event() throws Exception {
        Api api = started();
        sim().failNextCaptures(1);
        try (Subscription sub = events()) {
            assertThat(api.post("/api/v1/deployments", deployment("fb", 3, "")).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(api.get("/api/v1/deployments/fb").json().path("ready_replicas").asInt()).isEqualTo(3);
                assertThat(volantd.logLines()).anyMatch(l -> l.contains("template failed, replicas boot cold"));
            });
            // A scale-up within the retry window boots cold without trying again.
            assertThat(api.patch("/api/v1/deployments/fb", "{\"replicas\":4}").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.get("/api/v1/deployments/fb").json().path("ready_replicas").asInt()).isEqualTo(4));
            List<VmEvent> ev = drain(sub);
            assertThat(count(ev, EventType.TEMPLATE_FAILED)).isEqualTo(1);
            assertThat(count(ev, EventType.CLONE_STARTED)).isZero();
        }
        assertThat(sim().captures()).isZero();
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("template failed recently, replica boots cold vm=fb-4"));
        assertThat(templateFiles()).isEmpty();
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("WARN") && l.contains("template failed, replicas boot cold"));
    }

    @Test
    void a_clone_whose_identity_step_fails_is_destroyed_and_replaced() throws Exception {
        Api api = started();
        assertThat(api.post("/api/v1/deployments", deployment("id", 1, "")).status()).isEqualTo(201);
        awaitTemplates(api, 1);
        sim().failNextIdentities(1);
        try (Subscription sub = events()) {
            assertThat(api.patch("/api/v1/deployments/id", "{\"replicas\":2}").status()).isIn(200, 500);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.get("/api/v1/deployments/id").json().path("ready_replicas").asInt()).isEqualTo(2));
            List<VmEvent> ev = drain(sub);
            assertThat(ev).anyMatch(e -> e.type() == EventType.CLONE_FAILED && e.name().equals("id-2")
                    && e.message().contains("failed to apply its identity"));
            assertThat(ev).anyMatch(e -> e.type() == EventType.VM_DELETED && e.name().equals("id-2"));
            assertThat(ev).anyMatch(e -> e.type() == EventType.CLONE_STARTED && e.name().equals("id-2"));
        }
        assertThat(sim().captures()).isEqualTo(1);
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("deployment=id") && l.contains("result=error")
                && l.contains("identity"));
    }

    @Test
    void a_clone_that_cannot_be_restored_drops_its_template_and_the_replica_is_retried_with_backoff() throws Exception {
        Api api = started();
        assertThat(api.post("/api/v1/deployments", deployment("rs", 1, "")).status()).isEqualTo(201);
        awaitTemplates(api, 1);
        volantd.daemon().volantd().simulated().orElseThrow().failNextLaunches(1, "rs-2");
        try (Subscription sub = events()) {
            api.patch("/api/v1/deployments/rs", "{\"replicas\":2}");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(api.get("/api/v1/deployments/rs").json().path("ready_replicas").asInt()).isEqualTo(2));
            List<VmEvent> ev = drain(sub);
            assertThat(ev).anyMatch(e -> e.type() == EventType.CLONE_FAILED && e.name().equals("rs-2"));
            assertThat(ev).anyMatch(e -> e.type() == EventType.TEMPLATE_DELETED);
        }
        // The failed launch was not hidden: the controller saw it and created the replica again.
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("deployment=rs") && l.contains("result=error"));
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("clone restore failed, template dropped vm=rs-2"));
    }

    @Test
    void deleting_the_deployment_deletes_its_template_rows_and_files() throws Exception {
        Api api = started();
        api.post("/api/v1/deployments", deployment("gone", 2, ""));
        awaitTemplates(api, 1);
        assertThat(templateFiles()).hasSize(2);
        try (Subscription sub = events()) {
            assertThat(api.delete("/api/v1/deployments/gone").status()).isIn(200, 202, 204);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(templateFiles()).isEmpty();
                assertThat(templates(api).path("count").asInt()).isZero();
            });
            assertThat(drain(sub)).anyMatch(e -> e.type() == EventType.TEMPLATE_DELETED);
        }
    }

    @Test
    void a_new_revision_gets_a_new_template_and_the_old_one_is_collected() throws Exception {
        Api api = started();
        api.post("/api/v1/deployments", deployment("rev", 1, ""));
        awaitTemplates(api, 1);
        List<String> before = templateFiles();
        assertThat(api.patch("/api/v1/deployments/rev",
                "{\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":256}}}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(sim().captures()).isEqualTo(2);
            volantd.daemon().volantd().templates().collectGarbage();
            assertThat(templateFiles()).hasSize(2).doesNotContainAnyElementsOf(before);
            assertThat(templates(api).path("count").asInt()).isEqualTo(1);
        });
    }

    @Test
    void after_sigkill_a_restarted_volantd_adopts_the_template_and_removes_what_was_half_made() throws Exception {
        Api api = started();
        api.post("/api/v1/deployments", deployment("keep", 2, ""));
        awaitTemplates(api, 1);
        List<String> files = templateFiles();
        // A template caught mid-creation by the kill: a row in "creating" and a stray file of it.
        volantd.kill();
        Path dir = volantd.dir().resolve("run/templates");
        Files.writeString(dir.resolve("tpl-00000000deadbeef.ram"), "half made");
        try (Store store = Store.open(volantd.dir().resolve("state.db"))) {
            store.write(tx -> {
                tx.templates().insertCreating("tpl-00000000deadbeef", "deadbeef", "simulated");
                return null;
            });
        }
        Files.writeString(dir.resolve("tpl-1111111111111111.state"), "orphan");

        Api again = volantd.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(again.get("/api/v1/deployments/keep").json().path("ready_replicas").asInt()).isEqualTo(2));
        assertThat(templateFiles()).isEqualTo(files);
        assertThat(templates(again).path("count").asInt()).isEqualTo(1);
        assertThat(volantd.logLines()).anyMatch(l -> l.contains("template adopted"));
        // The simulated instances died with the old volantd, so the replicas came back: as clones of the adopted
        // template, without a second one.
        assertThat(sim().captures()).isZero();
        assertThat(sim().clones()).contains("keep-1", "keep-2");
        assertThat(Db.count(volantd.dir().resolve("state.db"), "SELECT COUNT(*) FROM templates")).isEqualTo(1);
    }
}
