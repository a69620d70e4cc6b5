package io.volant.kestrel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.workload.UrlJoin;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlJoinTest {
    @ParameterizedTest(name = "base \"{0}\" + sub \"{1}\" = {2}")
    @CsvSource({
            "'', '', /",
            "/, '', /",
            "'', /, /",
            "'', status, /status",
            "'', /status, /status",
            "'', //status, /status",
            "/api, '', /api",
            "/api/, '', /api",
            "api, '', /api",
            "api, x, /api/x",
            "/api, /x, /api/x",
            "/api//, //x/y, /api/x/y",
            "/api, x/, /api/x/",
            "/, /x, /x",
    })
    void passthrough_path_join_follows_the_spec_table(String base, String sub, String expected) {
        assertThat(UrlJoin.join(base, sub)).isEqualTo(expected);
    }

    @Test
    void target_keeps_scheme_authority_and_raw_query_and_replaces_the_base_query() {
        URI t = UrlJoin.target(URI.create("http://127.0.0.1:8081/app?x=1"), "/items/a%2Fb", "q=1&r=%20");
        assertThat(t.toString()).isEqualTo("http://127.0.0.1:8081/app/items/a%2Fb?q=1&r=%20");
    }

    @Test
    void health_probe_joins_onto_the_base_path_and_keeps_absolute_urls() {
        assertThat(UrlJoin.healthTarget(URI.create("http://h:1/base/"), "/health?deep=1").toString())
                .isEqualTo("http://h:1/base/health?deep=1");
        assertThat(UrlJoin.healthTarget(URI.create("http://h:1/base"), "http://other:2/ok").toString())
                .isEqualTo("http://other:2/ok");
    }
}
