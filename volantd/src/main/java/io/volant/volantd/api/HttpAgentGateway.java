package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.deployment.AgentProbe;
import io.volant.volantd.vm.Vm;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Agent access over TCP to {@code http://<vm ip>:8080} (host-runtime.md §7.3 step 1): connect 5 s, headers within
 * the caller's timeout, bodies streamed without a cap. VMs without a host IP have no transport here (502).
 */
public final class HttpAgentGateway implements AgentGateway {
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "te", "trailer", "transfer-encoding");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * One {@code GET /healthz} for EXTENSION C readiness: status 0 when the request failed, {@code workload.state}
     * from the body when present.
     */
    public AgentProbe.Result probe(Vm vm, Duration timeout) {
        try (Response r = send(vm, new Request("GET", "/healthz", Map.of(), new byte[0]), timeout)) {
            JsonNode body = JSON.readTree(r.body().readNBytes(64 * 1024));
            JsonNode state = body == null ? null : body.path("workload").path("state");
            return new AgentProbe.Result(r.status(), state == null || state.isMissingNode() ? null : state.asText());
        } catch (IOException | RuntimeException e) {
            return new AgentProbe.Result(0, null);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Response send(Vm vm, Request request, Duration timeout) throws IOException {
        if (vm.ipAddress().isBlank()) {
            throw ApiException.upstream("agent unreachable: no transport for vm " + vm.name());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + vm.ipAddress() + ":8080" + request.path()))
                .timeout(timeout)
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
