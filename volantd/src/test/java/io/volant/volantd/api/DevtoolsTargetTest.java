package io.volant.volantd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** api-and-cli.md §2.10.3 target resolution (Chosen: always the VM's address, only the path of websocket_url). */
class DevtoolsTargetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode meta(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void the_metadata_port_wins_then_the_websocket_url_port_then_9222() throws Exception {
        assertThat(DevtoolsTarget.resolve("10.0.0.5", meta("{\"port\":9333,\"websocket_url\":\"ws://127.0.0.1:9444/a\"}"), "", null))
                .hasToString("ws://10.0.0.5:9333/a");
        assertThat(DevtoolsTarget.resolve("10.0.0.5", meta("{\"websocket_url\":\"ws://127.0.0.1:9444/a\"}"), "", null))
                .hasToString("ws://10.0.0.5:9444/a");
        assertThat(DevtoolsTarget.resolve("10.0.0.5", meta("{}"), "", null)).hasToString("ws://10.0.0.5:9222/devtools/browser");
    }

    @Test
    void the_route_path_wins_then_websocket_path_then_the_url_path() throws Exception {
        JsonNode m = meta("{\"websocket_path\":\"devtools/browser/x\",\"websocket_url\":\"ws://127.0.0.1:9444/devtools/browser/y\"}");
        assertThat(DevtoolsTarget.resolve("10.0.0.5", m, "/devtools/page/1", null)).hasToString("ws://10.0.0.5:9444/devtools/page/1");
        assertThat(DevtoolsTarget.resolve("10.0.0.5", m, "/", null)).hasToString("ws://10.0.0.5:9444/devtools/browser/x");
        assertThat(DevtoolsTarget.resolve("10.0.0.5", meta("{\"websocket_url\":\"ws://127.0.0.1:9444/devtools/browser/y\"}"), "", null))
                .hasToString("ws://10.0.0.5:9444/devtools/browser/y");
    }

    @Test
    void the_query_keeps_everything_but_the_api_key_and_an_unparsable_url_is_ignored() throws Exception {
        assertThat(DevtoolsTarget.resolve("10.0.0.5", meta("{\"websocket_url\":\"::not a url\"}"), "/p", "a=1&api_key=s&b=2"))
                .hasToString("ws://10.0.0.5:9222/p?a=1&b=2");
    }

    @Test
    void a_vm_without_host_ip_is_addressed_as_localhost_for_the_agent_transport() throws Exception {
        assertThat(DevtoolsTarget.resolve("", meta("{\"port\":9222}"), "/p", null)).hasToString("ws://localhost:9222/p");
    }
}
