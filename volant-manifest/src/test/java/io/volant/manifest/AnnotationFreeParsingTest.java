package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Manifests#parse} reads without Jackson annotations (no annotation proxy classes at run time, see
 * {@code Manifests.READER}). Every document here is read both ways, through the same error formatting, and the
 * outcomes must be equal: the same {@link Manifest} (records compare every member) or the same error message.
 */
class AnnotationFreeParsingTest {

    /** The outcome of one read: the manifest, or the error message. */
    private record Outcome(Manifest manifest, String error) {}

    private static Outcome read(boolean annotated, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try {
            return new Outcome(annotated ? Manifests.parse(Manifests.mapper(), bytes) : Manifests.parse(bytes), null);
        } catch (ManifestException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    private static void assertSameOutcome(String json) {
        Outcome annotated = read(true, json);
        Outcome free = read(false, json);
        assertThat(free).as("annotation-free read of %s", json).isEqualTo(annotated);
    }

    @Provide
    Arbitrary<Manifest> manifests() {
        return ManifestArbitraries.manifests();
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CADDY, Fixtures.NGINX})
    void upstream_examples_read_the_same_with_and_without_annotations(String file) {
        String json = Fixtures.resource(file);
        assertSameOutcome(json);
        Manifest m = Manifests.parse(json);
        assertThat(m.name()).isNotEmpty();
        assertThat(m.workload().baseUrl()).isEqualTo("http://127.0.0.1:80");
        // The guest's path: the command-line value of the example decodes to the annotated reading's projection.
        Manifest annotated = Manifests.normalize(
                Manifests.parse(Manifests.mapper(), json.getBytes(StandardCharsets.UTF_8)));
        assertThat(ManifestCodec.decode(ManifestCodec.encodeGuest(m)))
                .isEqualTo(Manifests.normalize(ManifestCodec.guestProjection(annotated)));
    }

    @Property(tries = 300)
    void generated_manifests_read_the_same_with_and_without_annotations(@ForAll("manifests") Manifest m)
            throws IOException {
        assertSameOutcome(Manifests.toCompactJson(m));
        assertSameOutcome(Manifests.toJson(m));
        assertSameOutcome(Manifests.toCompactJson(Manifests.normalize(m)));
        assertSameOutcome(gunzip(ManifestCodec.encodeGuest(m)));
    }

    @Test
    void the_kestrel_test_manifest_shape_reads_the_same() {
        assertSameOutcome("""
                {"schema_version":"1.0","name":"w","version":"0.1.0","runtime":"w",
                 "initramfs":{"url":"https://example.com/w.cpio.gz"},
                 "resources":{"cpu_cores":1,"memory_mb":128},
                 "actions":{"reload":{"description":"reload config","method":"post","path":"reload","timeout_ms":5000}},
                 "health_check":{"endpoint":"/health","timeout_ms":1000},
                 "workload":{"type":"HTTP","base_url":"http://127.0.0.1:8080","entrypoint":["java","-cp","x","T"],
                   "env":{"PATH":"/usr/bin:/bin","MARKER":"m"},"workdir":"/tmp"}}
                """);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"devices\":{\"vfio\":[\"0000:01:00.0\"]}}",
            "{\"devices\":{\"vfio\":[\"a\"],\"pci_passthrough\":[\"b\"]}}",
            "{\"devices\":{\"pci_passthrough\":[\"b\"],\"vfio\":[\"a\"],\"allowlist\":[\"c\"],"
                    + "\"other\":{\"x\":[1]}}}",
            "{\"devices\":{\"pci_passthrough\":null,\"allowlist\":null}}",
            "{\"devices\":{}}",
            "{\"devices\":null}",
            "{\"devices\":[]}",
            "{\"devices\":\"x\"}",
            "{\"devices\":{\"vfio\":\"0000:01:00.0\"}}",
            "{\"devices\":{\"allowlist\":[1]}}",
            "{\"devices\":{\"allowlist\":[null]}}",
            "{\"name\":null,\"disks\":null,\"actions\":null,\"labels\":null,\"workload\":null,\"rootfs\":null}",
            "{\"cloud_init\":{\"datasource\":\"nocloud\",\"user_data\":{\"inline\":true,\"content\":\"#cloud-config\"}}}",
            "{\"network\":{\"mode\":\"vsock\",\"auto_assign\":true}}",
            "{\"hybrid\":true,\"set\":true,\"rootfs\":{\"url\":\"u\",\"set\":false}}",
            "{\"schemaVersion\":\"1.0\",\"imageDigest\":\"d\",\"healthCheck\":{\"endpoint\":\"/\"}}",
            "{\"resources\":{\"cpu_cores\":\"1\"}}",
            "{\"resources\":{\"cpu_cores\":1.5}}",
            "{\"resources\":{\"memory_mb\":99999999999}}",
            "{\"name\":1}",
            "{\"name\":true}",
            "{\"enabled\":\"true\"}",
            "{\"actions\":{\"a\":{\"timeout_ms\":\"5\"}}}",
            "{\"actions\":[]}",
            "{\"workload\":{\"entrypoint\":\"sh\"}}",
            "{\"workload\":{\"env\":{\"A\":1}}}",
            "{\"disks\":[{\"name\":\"d\",\"readonly\":1}]}",
            "{\"labels\":{\"a\":null}}",
            "{\"workload\":{\"entrypoint\":\"\"}}",
            "{\"resources\":{\"cpu_cores\":null},\"enabled\":null}",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"actions\":{\"a\":null}}",
            "{\"disks\":[null]}",
            "{\"cloud_init\":{\"user_data\":\"x\"}}",
            "[]",
            "null",
            "{} {}",
            "{\"name\":\"a\"",
            "not json"})
    void edge_and_malformed_documents_give_the_same_manifest_or_the_same_message(String json) {
        assertSameOutcome(json);
    }

    @Test
    void the_vfio_alias_is_still_read() {
        assertThat(Manifests.parse("{\"devices\":{\"vfio\":[\"0000:01:00.0\"]}}").devices())
                .isEqualTo(new DeviceConfig(List.of("0000:01:00.0"), List.of()));
        assertThat(Manifests.parse("{\"devices\":{\"allowlist\":[\"x\"]}}").devices())
                .isEqualTo(new DeviceConfig(List.of(), List.of("x")));
        assertThat(Manifests.parse("{\"labels\":{\"a\":\"b\"}}").labels()).isEqualTo(Map.of("a", "b"));
    }

    private static String gunzip(String encoded) throws IOException {
        byte[] gz = Base64.getUrlDecoder().decode(encoded);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
