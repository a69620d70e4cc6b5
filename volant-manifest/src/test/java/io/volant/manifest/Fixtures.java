package io.volant.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared test data: the upstream example manifests and a minimal valid manifest. */
final class Fixtures {
    static final String CADDY = "example-caddy.manifest.json";
    static final String NGINX = "example-nginx.manifest.json";
    static final String SHA = "deba6998b5852a4fbdc07f47b52be03fe1479233f9f12775d6c9a14705139ba7";

    private Fixtures() {}

    /** The copy under src/test/resources/upstream, so tests do not depend on where the repository lives. */
    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/upstream/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource upstream/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code shared/spec} found by walking up from the working directory, when this checkout has it nearby. */
    static Optional<Path> sharedSpec() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path spec = dir.resolve("shared").resolve("spec");
            if (Files.isDirectory(spec.resolve("upstream"))) {
                return Optional.of(spec);
            }
        }
        return Optional.empty();
    }

    /** The smallest manifest that passes validation. */
    static Manifest valid() {
        return new Manifest("1.0", "web", "1.0.0", "web", null, new Initramfs("/srv/web.cpio.gz", ""), null, "", "",
                new Resources(1, 256), null, null,
                new Workload("http", "http://127.0.0.1:80", List.of("/bin/web"), Map.of(), ""),
                null, null, null, false, "", null);
    }
}
