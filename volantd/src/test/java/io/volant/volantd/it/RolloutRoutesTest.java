package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rollout routes and the strategy member over HTTP: status codes, bodies and errors naming the field. */
class RolloutRoutesTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static String config(int cpu) {
        return "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":" + cpu + ",\"memory_mb\":128}}";
    }

    private Api started() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        Api.Resp r = api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":2,\"config\":" + config(1) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return api;
    }

    @Test
    void a_missing_strategy_member_takes_its_default_and_percentages_are_accepted() {
        Api api = started();
        JsonNode s = api.patch("/api/v1/deployments/web", "{\"strategy\":{\"max_unavailable\":1}}").json().path("strategy");
        assertThat(s.path("max_surge").asInt()).isEqualTo(1);
        assertThat(s.path("max_unavailable").asInt()).isEqualTo(1);
        assertThat(s.path("progress_deadline_seconds").asInt()).isEqualTo(600);
        JsonNode p = api.patch("/api/v1/deployments/web", "{\"strategy\":{\"max_surge\":\"25%\",\"auto_rollback\":true}}").json();
        assertThat(p.path("strategy").path("max_surge").asText()).isEqualTo("25%");
        assertThat(p.path("strategy").path("max_unavailable").asInt()).isZero();
        assertThat(p.path("strategy").path("auto_rollback").asBoolean()).isTrue();

        assertThat(api.patch("/api/v1/deployments/web", "{\"strategy\":{\"max_surge\":\"x\"}}").error())
                .isEqualTo("strategy: max_surge must be an integer >= 0 or a percentage 0%-100%");
        assertThat(api.patch("/api/v1/deployments/web", "{\"strategy\":{\"max_surge\":0,\"max_unavailable\":\"0%\"}}").error())
                .isEqualTo("strategy: max_surge and max_unavailable cannot both be 0");
        assertThat(api.patch("/api/v1/deployments/web", "{\"strategy\":{\"surge\":1}}").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/deployments/web", "{\"strategy\":{\"progress_deadline_seconds\":0}}").error())
                .isEqualTo("strategy: progress_deadline_seconds must be an integer from 1 to 86400");
    }

    @Test
    void the_controller_exports_passes_errors_duration_and_queue_depth_on_metrics() {
        Api api = started();
        String metrics = api.get("/metrics").body();
        assertThat(metrics).containsPattern("(?m)^volant_deployment_passes_total [1-9]")
                .containsPattern("(?m)^volant_deployment_pass_errors_total [0-9]")
                .containsPattern("(?m)^volant_deployment_pass_seconds_total [0-9]")
                .containsPattern("(?m)^volant_deployment_queue_depth [0-9]");
    }

    @Test
    void history_undo_pause_and_resume_answer_with_their_status_codes() {
        Api api = started();
        assertThat(api.post("/api/v1/deployments/web/rollout/undo", "").error())
                .isEqualTo("rollout undo: deployment web has no previous revision");
        assertThat(api.patch("/api/v1/deployments/web", "{\"config\":" + config(2) + "}").json().path("revision").asInt()).isEqualTo(2);

        Api.Resp history = api.get("/api/v1/deployments/web/rollout/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json()).hasSize(2);
        assertThat(history.json().get(1).path("current").asBoolean()).isTrue();
        assertThat(history.json().get(1).path("digest").asText()).hasSize(64);

        assertThat(api.post("/api/v1/deployments/web/rollout/undo", "{\"to_revision\":7}").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/deployments/web/rollout/undo", "{\"to_revision\":\"x\"}").status()).isEqualTo(400);
        Api.Resp undone = api.post("/api/v1/deployments/web/rollout/undo", "{\"to_revision\":1}");
        assertThat(undone.status()).as(undone.body()).isEqualTo(200);
        assertThat(undone.json().path("revision").asInt()).isEqualTo(1);

        Api.Resp paused = api.post("/api/v1/deployments/web/rollout/pause", "");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().path("rollout").path("paused").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/deployments/web/rollout").json().path("rollout").path("paused").asBoolean()).isTrue();
        assertThat(api.post("/api/v1/deployments/web/rollout/resume", "").json().path("rollout").path("paused").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/deployments/web").json().path("conditions").get(0).path("type").asText()).isEqualTo("Available");

        assertThat(api.get("/api/v1/deployments/nope/rollout/history").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/deployments/nope/rollout/pause", "").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/deployments/web").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/deployments/web/rollout").status()).isEqualTo(404);
    }
}
