package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path and method of upstream/openapi.json (and of our own /openapi document) reaches a handler: the router's
 * own answers are 404 {@code {"error":"not found"}} and 405, every handler answer differs from those.
 */
class RoutingTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    record Route(String method, String path) {}

    static List<Route> routes(JsonNode openapi) {
        List<Route> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = openapi.path("paths").fields(); it.hasNext(); ) {
            var e = it.next();
            for (Iterator<String> m = e.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (!method.equals("parameters")) {
                    out.add(new Route(method.toUpperCase(Locale.ROOT), concrete(e.getKey())));
                }
            }
        }
        return out;
    }

    static String concrete(String template) {
        return template.replace("{name}", "nope").replace("{plugin}", "nope").replace("{artifact}", "nope")
                .replace("{action}", "nope").replace("{path}", "v1/x").replace("{protocol}", "tcp").replace("{port}", "80")
                .replace("{host_port}", "8080");
    }

    static void assertRouted(Api api, int port, Route r) throws Exception {
        if (r.path().startsWith("/ws/")) {
            RawHttp.Answer a = RawHttp.handshake(port, r.path());
            assertThat(a.status()).as(r + " " + a.head() + a.body()).isNotIn(405).isNotEqualTo(101);
            assertThat(a.body()).as(r.toString()).doesNotContain("\"error\":\"not found\"");
            return;
        }
        Api.Resp resp = api.send(r.method(), r.path(), r.method().equals("GET") || r.method().equals("DELETE") || r.method().equals("HEAD") ? null : "{}");
        assertThat(resp.status()).as(r + " -> " + resp).isNotEqualTo(405);
        if (resp.status() == 404) {
            assertThat(resp.error()).as(r + " -> " + resp).isNotNull().isNotEqualTo("not found");
        }
    }

    @Test
    void every_upstream_documented_route_is_routed() throws Exception {
        Api api = volantd.start();
        JsonNode upstream = Api.JSON.readTree(Files.readString(Path.of(RoutingTest.class.getResource("/it/upstream-openapi.json").toURI())));
        List<Route> routes = routes(upstream);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(34);
        for (Route r : routes) {
            if (r.path().equals("/api/v1/events/vms")) {
                continue; // a stream; covered by EventStreamTest
            }
            assertRouted(api, volantd.daemon().port(), r);
        }
    }

    @Test
    void every_route_of_the_served_document_is_routed() throws Exception {
        Api api = volantd.start();
        List<Route> routes = routes(api.get("/openapi").json());
        assertThat(routes).extracting(Route::path).contains("/metrics", "/openapi", "/api/v1/drift/routes",
                "/ws/v1/vms/nope/logs", "/api/v1/vms/nope/agent/v1/x", "/api/v1/plugins/nope/manifest");
        for (Route r : routes) {
            if (!r.path().equals("/api/v1/events/vms") && !r.method().equals("HEAD")) {
                assertRouted(api, volantd.daemon().port(), r);
            }
        }
    }

    @Test
    void router_misses_are_json_404_and_405() {
        Api api = volantd.start();
        var missing = api.get("/api/v1/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("not found");
        var wrong = api.send("PUT", "/api/v1/vms", "{}");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.error()).isEqualTo("method not allowed");
        assertThat(wrong.header("Allow")).contains("GET").contains("POST");
    }
}
