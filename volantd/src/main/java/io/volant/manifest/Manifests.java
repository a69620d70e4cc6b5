package io.volant.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** TEMPORARY stand-in (see package-info): just enough behaviour for volantd's tests. */
public final class Manifests {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .findAndAddModules()
            .build();

    private Manifests() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static Manifest parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Manifest parse(byte[] json) {
        try {
            return MAPPER.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new ManifestException("plugin manifest: decode: " + e.getMessage());
        }
    }

    public static String toCompactJson(Manifest m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            throw new ManifestException("plugin manifest: encode: " + e.getMessage());
        }
    }

    public static String toJson(Manifest m) {
        return toCompactJson(m);
    }

    public static Manifest normalize(Manifest m) {
        NetworkConfig net = m.network() == null ? null
                : new NetworkConfig(m.network().mode().trim().toLowerCase(Locale.ROOT), m.network().subnet().trim(),
                        m.network().gateway().trim(), m.network().autoAssign());
        String runtime = m.runtime().trim().isEmpty() ? m.name().trim() : m.runtime().trim();
        return new Manifest(m.schemaVersion(), m.name().trim(), m.version().trim(), runtime, m.rootfs(),
                m.initramfs(), m.disks(), m.image(), m.imageDigest(), m.resources(), m.actions(), m.healthCheck(),
                m.workload(), m.cloudInit(), net, m.devices(), m.enabled(), m.openapi(), m.labels());
    }

    public static void validate(Manifest m) {
        if (m.name().isBlank()) {
            throw new ManifestException("plugin manifest: name is required");
        }
        if (m.version().isBlank()) {
            throw new ManifestException("plugin manifest: version is required");
        }
    }

    public static Manifest normalizeAndValidate(Manifest m) {
        Manifest n = normalize(m);
        validate(n);
        return n;
    }
}
