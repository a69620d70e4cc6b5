package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code VOLANT_API_KEY} set, every route but {@code /healthz} is 401 without the key and served with it. */
class ApiKeyTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture().env("VOLANT_API_KEY", "k3y");

    @Test
    void every_route_but_healthz_needs_the_key() throws Exception {
        Api api = volantd.start();
        assertThat(api.get("/healthz").status()).isEqualTo(200);
        List<RoutingTest.Route> routes = new ArrayList<>(RoutingTest.routes(api.get("/openapi", "X-Volant-API-Key", "k3y").json()));
        routes.add(new RoutingTest.Route("GET", "/api/v1/events/vms"));
        routes.add(new RoutingTest.Route("POST", "/api/v1/simulated/vms/nope/exit"));
        routes.add(new RoutingTest.Route("PUT", "/api/v1/simulated/vms/nope/health"));
        routes.add(new RoutingTest.Route("POST", "/api/v1/simulated/launch-failures"));
        int port = volantd.daemon().port();
        for (RoutingTest.Route r : routes) {
            if (r.path().equals("/healthz") || r.method().equals("HEAD")) {
                continue;
            }
            if (r.path().startsWith("/ws/")) {
                assertThat(RawHttp.handshake(port, r.path()).status()).as(r.toString()).isEqualTo(401);
                assertThat(RawHttp.handshake(port, r.path(), "X-Volant-API-Key", "k3y").status()).as(r.toString()).isNotIn(401, 403);
                continue;
            }
            String body = r.method().equals("GET") || r.method().equals("DELETE") ? null : "{}";
            var denied = api.send(r.method(), r.path(), body);
            assertThat(denied.status()).as(r + " -> " + denied).isEqualTo(401);
            assertThat(denied.error()).isEqualTo("invalid api key");
            if (!r.path().equals("/api/v1/events/vms")) {
                var served = api.send(r.method(), r.path(), body, "X-Volant-API-Key", "k3y");
                assertThat(served.status()).as(r + " -> " + served).isNotIn(401, 403, 405);
            }
        }
        assertThat(api.get("/api/v1/vms", "Authorization", "Bearer k3y").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/vms?api_key=k3y").status()).isEqualTo(200);
    }
}
