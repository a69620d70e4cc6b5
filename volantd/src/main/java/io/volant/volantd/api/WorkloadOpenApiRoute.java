package io.volant.volantd.api;

import io.volant.volantd.agent.AgentGateway;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.manifest.Manifest;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/vms/{name}/openapi} (api-and-cli.md §2.3.5, Chosen): the agent's document when the VM runs,
 * else the manifest's {@code openapi} reference: http(s) fetched with 10 s / 8 MiB limits, local files served only
 * from the plugin's artifact directories or {@code /var/lib/volant}.
 */
final class WorkloadOpenApiRoute {
    static final int MAX_BYTES = 8 * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path VAR_LIB = Path.of("/var/lib/volant");

    private final ApiServices services;
    private final Json json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    WorkloadOpenApiRoute(ApiServices services, Json json) {
        this.services = services;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/vms/{name}/openapi", this::serve);
    }

    private void serve(Context ctx) throws IOException, InterruptedException {
        Vm vm = services.vms().get(ctx.pathParam("name"));
        byte[] fromAgent = vm.status() == VmStatus.RUNNING ? fromAgent(vm) : null;
        if (fromAgent != null) {
            write(ctx, fromAgent, "application/json");
            return;
        }
        Manifest manifest = services.vms().config(vm.name()).config().manifest();
        if (manifest == null || manifest.openapi().isBlank()) {
            throw ApiException.notFound("openapi spec unavailable");
        }
        String ref = manifest.openapi().trim();
        String lower = ref.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            fetch(ctx, ref);
        } else {
            local(ctx, manifest, lower.startsWith("file://") ? URI.create(ref).getPath() : ref);
        }
    }

    private byte[] fromAgent(Vm vm) {
        try (AgentGateway.Response r = services.agent().send(vm.name(), vm.ipAddress(),
                new AgentGateway.Request("GET", "/v1/openapi", Map.of(), new byte[0]), TIMEOUT)) {
            return r.status() == 200 ? bounded(r.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null; // upstream falls through to the manifest silently
        }
    }

    private void fetch(Context ctx, String url) throws InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.upstream("failed to fetch manifest openapi");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw ApiException.upstream("manifest openapi returned " + response.statusCode());
            }
            byte[] bytes = bounded(body);
            if (bytes == null) {
                throw ApiException.upstream("failed to read manifest openapi");
            }
            write(ctx, bytes, response.headers().firstValue("Content-Type").orElse(bySuffix(url)));
        } catch (IOException e) {
            throw ApiException.upstream("failed to read manifest openapi");
        }
    }

    private void local(Context ctx, Manifest manifest, String ref) throws IOException {
        Path path = Path.of(ref);
        if (!path.isAbsolute()) {
            throw ApiException.invalid("invalid openapi reference in manifest");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw ApiException.notFound("openapi file not found");
        }
        String name = real.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean suffix = name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
        if (!suffix || !Files.isRegularFile(real) || Files.size(real) > MAX_BYTES || !allowedRoots(manifest).stream().anyMatch(real::startsWith)) {
            throw ApiException.notFound("openapi file not found");
        }
        write(ctx, Files.readAllBytes(real), bySuffix(name));
    }

    /** Directories of the plugin's local boot artifacts, plus /var/lib/volant. */
    private static List<Path> allowedRoots(Manifest m) {
        List<Path> roots = new ArrayList<>(List.of(VAR_LIB));
        for (String url : List.of(m.rootfs().url(), m.initramfs().url())) {
            String p = url.startsWith("file://") ? URI.create(url).getPath() : url;
            if (p != null && p.startsWith("/") && Path.of(p).getParent() != null) {
                roots.add(Path.of(p).getParent());
            }
        }
        return roots;
    }

    private static void write(Context ctx, byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!type.contains("json") && !type.contains("yaml") && !type.contains("yml")) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).stripLeading();
            type = text.isEmpty() || text.startsWith("{") || text.startsWith("[") ? "application/json" : "application/yaml";
        }
        ctx.status(200).contentType(type).result(body);
    }

    private static String bySuffix(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") ? "application/yaml" : "application/json";
    }

    private static byte[] bounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        return bytes.length > MAX_BYTES ? null : bytes;
    }

}
