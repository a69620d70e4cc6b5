package io.volant.kestrel.boot;

import io.volant.kestrel.Log;
import io.volant.kestrel.time.Clock;
import io.volant.manifest.time.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Manifest resolution (plugins-and-guest.md §2.5): {@code VOLANT_MANIFEST}, else {@code volant.manifest} on the
 * command line, else a fetch from the control plane — retried in the background with backoff (1 s doubling to
 * 30 s) until it succeeds (K12). Every source is normalized (K8).
 */
public final class ManifestResolver {
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RETRY_INITIAL = Duration.ofSeconds(1);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    /** The first, synchronous step's outcome. */
    public sealed interface Initial {
        /** A manifest from the environment or the command line. */
        record Found(AgentManifest manifest, String source) implements Initial {}

        /** No manifest yet; it can be fetched from {@code url}. */
        record Fetch(URI url) implements Initial {}

        /** No manifest and no way to get one: only {@code /healthz}. */
        record None() implements Initial {}
    }

    private final ManifestDecoder decoder;
    private final HttpClient client;
    private final Clock clock;
    private final Log log;

    public ManifestResolver(ManifestDecoder decoder, HttpClient client, Clock clock, Log log) {
        this.decoder = decoder;
        this.client = client;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Steps 1, 2 and the choice of step 3 or 4.
     *
     * @param envManifest {@code VOLANT_MANIFEST}, empty when unset
     * @throws IllegalArgumentException when a present manifest does not decode (fatal, §2.5 step 2)
     */
    public Initial initial(String envManifest, Cmdline cmdline) {
        if (!envManifest.isEmpty()) {
            return new Initial.Found(decode(envManifest, "VOLANT_MANIFEST"), "env");
        }
        Optional<String> encoded = cmdline.value("volant.manifest");
        if (encoded.isPresent()) {
            return new Initial.Found(decode(encoded.get(), "volant.manifest"), "cmdline");
        }
        Optional<String> host = cmdline.value("volant.api_host").filter(s -> !s.isEmpty());
        Optional<String> port = cmdline.value("volant.api_port").filter(s -> !s.isEmpty());
        Optional<String> plugin = cmdline.value("volant.plugin").filter(s -> !s.isEmpty());
        if (host.isPresent() && port.isPresent() && plugin.isPresent()) {
            String h = host.get().contains(":") && !host.get().startsWith("[") ? "[" + host.get() + "]" : host.get();
            return new Initial.Fetch(URI.create("http://" + h + ":" + port.get() + "/api/v1/plugins/"
                    + URLEncoder.encode(plugin.get(), StandardCharsets.UTF_8).replace("+", "%20") + "/manifest"));
        }
        return new Initial.None();
    }

    private AgentManifest decode(String value, String source) {
        try {
            return decoder.decode(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fetches {@code url} until a manifest arrives, then hands it to {@code onManifest}; returns at once (the loop
     * runs on its own daemon thread). Interrupt the returned thread to give up.
     */
    public Thread fetchInBackground(URI url, Consumer<AgentManifest> onManifest) {
        return Thread.ofPlatform().name("kestrel-manifest-fetch").daemon().start(() -> {
            Backoff.Retries backoff = new Backoff(RETRY_INITIAL, RETRY_MAX).retries();
            int attempt = 0;
            try {
                while (true) {
                    attempt++;
                    Optional<AgentManifest> m = fetchOnce(url, attempt);
                    if (m.isPresent()) {
                        log.info("manifest fetched", "url", url, "attempt", attempt, "name", m.get().name());
                        onManifest.accept(m.get());
                        return;
                    }
                    clock.sleep(backoff.next());
                }
            } catch (InterruptedException e) {
                log.info("manifest fetch abandoned", "url", url, "attempts", attempt);
            }
        });
    }

    Optional<AgentManifest> fetchOnce(URI url, int attempt) throws InterruptedException {
        String failure;
        try {
            HttpResponse<byte[]> rsp = client.send(HttpRequest.newBuilder(url).timeout(ATTEMPT_TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (rsp.statusCode() == 200) {
                try {
                    return Optional.of(decoder.parseJson(rsp.body()));
                } catch (RuntimeException e) {
                    failure = "bad manifest: " + e.getMessage();
                }
            } else {
                failure = "status " + rsp.statusCode();
            }
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        // Sampled: the first failures, then every 10th, so an absent control plane does not flood the console.
        if (attempt <= 3 || attempt % 10 == 0) {
            log.info("manifest fetch failed", "url", url, "attempt", attempt, "error", failure);
        }
        return Optional.empty();
    }
}
