package io.volant.kestrel.workload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link HealthProbe} over {@link HttpClient}. */
public final class HttpHealthProbe implements HealthProbe {
    private final HttpClient client;

    public HttpHealthProbe(HttpClient client) {
        this.client = client;
    }

    @Override
    public String probe(URI target, Duration timeout) throws InterruptedException {
        try {
            HttpResponse<Void> rsp = client.send(HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return rsp.statusCode() / 100 == 2 ? null : "status " + rsp.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
