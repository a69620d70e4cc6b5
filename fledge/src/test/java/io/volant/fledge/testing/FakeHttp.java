package io.volant.fledge.testing;

import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.HttpFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory twin of {@link HttpFetcher}: serves registered bodies, 404 otherwise, or fails like an offline host. */
public final class FakeHttp implements HttpFetcher {
    private final Map<URI, Response> routes = new HashMap<>();
    private final List<URI> requested = new ArrayList<>();
    private boolean offline;

    public FakeHttp serve(String uri, byte[] body) {
        routes.put(URI.create(uri), new Response(200, "OK", body));
        return this;
    }

    public FakeHttp serve(String uri, String body) {
        return serve(uri, body.getBytes(StandardCharsets.UTF_8));
    }

    public FakeHttp status(String uri, int status, String body) {
        routes.put(URI.create(uri), new Response(status, "", body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public FakeHttp offline() {
        offline = true;
        return this;
    }

    public List<URI> requested() {
        return requested;
    }

    @Override
    public Response get(URI uri) {
        requested.add(uri);
        if (offline) {
            throw new FledgeException("GET " + uri + " failed: java.net.ConnectException");
        }
        return routes.getOrDefault(uri, new Response(404, "Not Found", "not found".getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void download(URI uri, Path dest) {
        Response r = get(uri);
        if (r.status() != 200) {
            throw new FledgeException("download failed with status " + r.status() + ": " + r.status() + " " + r.reason());
        }
        try {
            Files.write(dest, r.body());
        } catch (IOException e) {
            throw new FledgeException(e.getMessage(), e);
        }
    }
}
