package io.volant.volantd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.volant.volantd.errors.UpstreamException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpAgentProbeTest {
    private static final AgentAccess TCP = (vm, ip) -> {
        if (ip.isEmpty()) {
            throw new UpstreamException("agent unreachable: no transport for vm " + vm);
        }
        return new TcpTransport(ip, 2_000);
    };

    @Test
    void healthz_status_and_workload_state_become_the_probe_result() throws Exception {
        AtomicReference<String> body = new AtomicReference<>(
                "{\"status\":\"ok\",\"workload\":{\"state\":\"failed\",\"pid\":null}}");
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/healthz", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        agent.start();
        try {
            HttpAgentProbe probe = new HttpAgentProbe(new TransportAgentGateway(TCP, agent.getAddress().getPort()), vm -> "127.0.0.1");
            AgentProbe.Result failed = probe.probe("web").orElseThrow();
            assertThat(failed).isEqualTo(new AgentProbe.Result(200, "failed"));
            assertThat(failed.healthy()).isFalse();

            body.set("{\"status\":\"ok\",\"workload\":{\"state\":\"running\"}}");
            assertThat(probe.probe("web").orElseThrow().healthy()).isTrue();
        } finally {
            agent.stop(0);
        }
    }

    @Test
    void unreachable_agent_is_status_0_and_no_transport_is_empty() {
        HttpAgentProbe probe = new HttpAgentProbe(new TransportAgentGateway(TCP, 1), vm -> vm.equals("web") ? "127.0.0.1" : "");
        assertThat(probe.probe("web")).contains(new AgentProbe.Result(0, null));
        assertThat(probe.probe("dhcp-vm")).isEmpty();
    }
}
