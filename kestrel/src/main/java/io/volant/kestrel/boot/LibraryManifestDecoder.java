package io.volant.kestrel.boot;

import io.volant.kestrel.http.ActionRoute;
import io.volant.kestrel.http.WorkloadRoutes;
import io.volant.kestrel.workload.WorkloadSpec;
import io.volant.manifest.Action;
import io.volant.manifest.Manifest;
import io.volant.manifest.ManifestCodec;
import io.volant.manifest.ManifestException;
import io.volant.manifest.Manifests;
import io.volant.manifest.Workload;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link ManifestDecoder} over the shared {@code volant-manifest} library (decode and parse, then normalize). */
public final class LibraryManifestDecoder implements ManifestDecoder {
    @Override
    public AgentManifest decode(String encoded) {
        try {
            return toAgent(ManifestCodec.decode(encoded));
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public AgentManifest parseJson(byte[] json) {
        try {
            return toAgent(Manifests.normalize(Manifests.parse(json)));
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Maps a normalized manifest onto what kestrel uses (plugins-and-guest.md §2.6 preconditions, §2.8 routes). */
    static AgentManifest toAgent(Manifest m) {
        List<String> notes = new ArrayList<>();
        Workload w = m.workload();
        if (!w.type().equalsIgnoreCase("http")) {
            notes.add("workload type \"" + w.type() + "\" is not started (only http is)");
            return new AgentManifest(m.name(), Optional.empty(), Optional.empty(), notes);
        }
        Optional<URI> base = parseBaseUrl(w.baseUrl());
        if (base.isEmpty()) {
            notes.add("workload.base_url \"" + w.baseUrl() + "\" is not an http(s) URL: no workload, no /v1 routes");
            return new AgentManifest(m.name(), Optional.empty(), Optional.empty(), notes);
        }
        List<ActionRoute> actions = new ArrayList<>();
        for (Map.Entry<String, Action> e : m.actions().entrySet()) {
            Action a = e.getValue();
            String method = a.method().isEmpty() ? "POST" : a.method().toUpperCase(Locale.ROOT);
            String path = a.path().startsWith("/") ? a.path() : "/" + a.path();
            actions.add(new ActionRoute(e.getKey(), method, path, Duration.ofMillis(Math.max(0, a.timeoutMs()))));
        }
        WorkloadRoutes routes = new WorkloadRoutes(base.get(), actions);
        if (w.entrypoint().isEmpty() || w.entrypoint().getFirst().isEmpty()) {
            notes.add("workload.entrypoint is empty: nothing to start");
            return new AgentManifest(m.name(), Optional.of(routes), Optional.empty(), notes);
        }
        WorkloadSpec spec = new WorkloadSpec(base.get(), w.entrypoint(), w.env(), w.workdir(),
                m.healthCheck().endpoint(), Duration.ofMillis(m.healthCheck().timeoutMs()));
        return new AgentManifest(m.name(), Optional.of(routes), Optional.of(spec), notes);
    }

    static Optional<URI> parseBaseUrl(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI u = new URI(s);
            boolean http = "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
            return http && u.getRawAuthority() != null ? Optional.of(u) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
