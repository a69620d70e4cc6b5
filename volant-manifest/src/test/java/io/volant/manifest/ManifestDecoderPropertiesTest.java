package io.volant.manifest;


import java.nio.charset.StandardCharsets;
import io.volant.testing.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 16: the manifest decoder never throws anything but its documented {@link ManifestException}, whatever the
 * bytes (random, invalid UTF-8, mutations of a real manifest), and validation after a successful decode likewise.
 */
class ManifestDecoderPropertiesTest {
    private static final String SAMPLE = "{\"schema_version\":\"1.0\",\"name\":\"caddy\",\"version\":\"0.1.0\","
            + "\"runtime\":\"caddy\",\"enabled\":true,\"initramfs\":{\"url\":\"/p/caddy.cpio.gz\"},"
            + "\"resources\":{\"cpu_cores\":1,\"memory_mb\":512},\"workload\":{\"type\":\"http\","
            + "\"entrypoint\":[\"/bin/caddy\",\"run\"],\"base_url\":\"http://127.0.0.1:80\"},"
            + "\"health_check\":{\"endpoint\":\"/\",\"timeout_ms\":5000},\"network\":{\"mode\":\"bridged\"},"
            + "\"actions\":{\"reload\":{\"method\":\"POST\",\"path\":\"/reload\",\"timeout_ms\":1000}}}";

    private static void decodesOrRefuses(byte[] bytes) {
        Mutations.decodesOrRefuses(() -> {
            Manifest m = Manifests.parse(bytes);
            Manifests.validate(Manifests.normalize(m));
        }, ManifestException.class);
    }

    @Property(tries = 1000)
    void random_bytes_decode_or_fail_with_manifest_exception(@ForAll byte[] bytes) {
        decodesOrRefuses(bytes);
    }

    @Property(tries = 1000)
    void mutated_manifests_decode_or_fail_with_manifest_exception(@ForAll("mutations") String text) {
        decodesOrRefuses(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A real manifest with one region replaced by random JSON-ish text (types change, braces break, values grow). */
    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "[]", "{}", "-1", "1e999", "\"\"", "0.5", "[[[[", "}", "\"\\u0000\"",
                        "2147483648", "{\"a\":{\"b\":[1,{}]}}", "\"\\ud800\""),
                Arbitraries.strings().withChars("{}[]\":,0123456789abc\\-.e ").ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(20));
        return Mutations.around(SAMPLE, junk);
    }
}
