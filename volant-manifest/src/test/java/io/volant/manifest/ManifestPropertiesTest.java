package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of normalization, JSON, the command-line codec and the command-line builder. */
class ManifestPropertiesTest {

    @Provide
    Arbitrary<Manifest> manifests() {
        return ManifestArbitraries.manifests();
    }

    @Property(tries = 250)
    void normalization_is_idempotent(@ForAll("manifests") Manifest m) {
        Manifest once = Manifests.normalize(m);
        assertThat(Manifests.normalize(once)).isEqualTo(once);
    }

    @Property(tries = 250)
    void decode_of_encode_is_the_normalized_manifest(@ForAll("manifests") Manifest m) {
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m))).isEqualTo(Manifests.normalize(m));
    }

    @Property(tries = 200)
    void guest_encoding_decodes_to_the_normalized_projection(@ForAll("manifests") Manifest m) {
        Manifest decoded = ManifestCodec.decode(ManifestCodec.encodeGuest(m));
        assertThat(decoded).isEqualTo(Manifests.normalize(ManifestCodec.guestProjection(m)));
        assertThat(decoded.cloudInit()).isNull();
        assertThat(decoded.disks()).isEmpty();
        assertThat(decoded.devices()).isNull();
    }

    @Property(tries = 250)
    void json_round_trip_is_exact_even_before_normalization(@ForAll("manifests") Manifest m) {
        assertThat(Manifests.parse(Manifests.toJson(m))).isEqualTo(m);
        assertThat(Manifests.parse(Manifests.toCompactJson(m))).isEqualTo(m);
    }

    @Property(tries = 200)
    void serialization_is_deterministic(@ForAll("manifests") Manifest m) {
        String json = Manifests.toCompactJson(m);
        assertThat(Manifests.toCompactJson(Manifests.parse(json))).isEqualTo(json);
        assertThat(ManifestCodec.encode(m)).isEqualTo(ManifestCodec.encode(Manifests.parse(json)));
    }

    @Property(tries = 250)
    void validation_either_passes_or_throws_a_manifest_exception(@ForAll("manifests") Manifest m) {
        try {
            Manifests.validate(m);
        } catch (ManifestException e) {
            assertThat(e.getMessage()).startsWith("plugin manifest: ");
        }
    }

    @Property(tries = 200)
    void a_manifest_that_validates_stays_valid_after_the_round_trip(@ForAll("manifests") Manifest m) {
        Manifest valid = Fixtures.valid().withWorkload(m.workload()).withActions(m.actions()).withNetwork(m.network());
        try {
            Manifests.validate(valid);
        } catch (ManifestException e) {
            return;
        }
        Manifests.validate(ManifestCodec.decode(ManifestCodec.encode(valid)));
    }

    // --- garbage never escapes as anything but ManifestException ---

    private static void decodesOrRefuses(String value) {
        try {
            Manifest m = ManifestCodec.decode(value);
            assertThat(m).isEqualTo(Manifests.normalize(m));
        } catch (ManifestException expected) {
            assertThat(expected.getMessage()).startsWith("volant.manifest: ");
        }
    }

    @Property(tries = 1000)
    void random_strings_decode_or_fail_with_manifest_exception(@ForAll String value) {
        decodesOrRefuses(value);
    }

    @Property(tries = 1000)
    void random_base64url_alphabet_strings_decode_or_fail_with_manifest_exception(@ForAll("base64urlChars") String value) {
        decodesOrRefuses(value);
    }

    @Provide
    Arbitrary<String> base64urlChars() {
        return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
                .ofMaxLength(200);
    }

    @Property(tries = 1000)
    void random_bytes_base64url_encoded_decode_or_fail_with_manifest_exception(@ForAll @Size(max = 300) byte[] bytes,
                                                                                @ForAll boolean padded) {
        Base64.Encoder enc = padded ? Base64.getUrlEncoder() : Base64.getUrlEncoder().withoutPadding();
        decodesOrRefuses(enc.encodeToString(bytes));
    }

    @Property(tries = 250)
    void gzipped_random_bytes_decode_or_fail_with_manifest_exception(@ForAll @Size(max = 300) byte[] bytes)
            throws Exception {
        decodesOrRefuses(Base64.getUrlEncoder().withoutPadding().encodeToString(gzip(bytes)));
    }

    @Property(tries = 250)
    void gzipped_json_of_the_wrong_shape_fails_with_manifest_exception(@ForAll("jsonish") String json)
            throws Exception {
        decodesOrRefuses(Base64.getUrlEncoder().withoutPadding().encodeToString(gzip(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> value = Arbitraries.of("1", "-1.5e3", "\"s\"", "true", "null", "[]", "{}", "[1,\"a\"]",
                "{\"x\":1}", "99999999999999999999", "\"\\ud800\"", "{\"url\":5}", "[[[[[[]]]]]]");
        Arbitrary<String> member = Arbitraries.of("name", "resources", "cpu_cores", "workload", "entrypoint", "env",
                "actions", "labels", "rootfs", "disks", "cloud_init", "user_data", "network", "devices", "enabled",
                "health_check", "timeout_ms", "$schema");
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(member, value).as((k, v) -> "\"" + k + "\":" + v);
        return pair.list().ofMaxSize(5).map(pairs -> "{" + String.join(",", pairs) + "}")
                .injectDuplicates(0.01)
                .edgeCases(c -> c.add("{\"resources\":{\"cpu_cores\":{\"deep\":[1]}}}"));
    }

    @Property(tries = 250)
    void truncated_encodings_decode_or_fail_with_manifest_exception(@ForAll("manifests") Manifest m,
                                                                    @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        String enc = ManifestCodec.encode(m);
        decodesOrRefuses(enc.substring(0, cut % enc.length()));
    }

    @Property(tries = 200)
    void corrupted_encodings_decode_or_fail_with_manifest_exception(@ForAll("manifests") Manifest m,
                                                                    @ForAll @IntRange(min = 0, max = 10_000) int at,
                                                                    @ForAll("base64urlChars") String insert) {
        String enc = ManifestCodec.encode(m);
        int i = at % enc.length();
        decodesOrRefuses(enc.substring(0, i) + insert + enc.substring(Math.min(enc.length(), i + 1)));
    }

    // --- command-line builder ---

    @Property(tries = 250)
    void built_command_lines_respect_the_limit_and_read_back(@ForAll("safeArgs") Map<String, String> args,
                                                            @ForAll @IntRange(min = 0, max = 2100) int baseLength) {
        String base = "b".repeat(baseLength);
        String cmdline;
        try {
            cmdline = KernelCmdline.build(base, "", args);
        } catch (ManifestException e) {
            assertThat(e.getMessage()).matches("kernel command line too long \\(\\d+ > 2047 bytes\\)");
            return;
        }
        assertThat(cmdline.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2047);
        BootArgs read = BootArgs.parse(cmdline);
        args.forEach((k, v) -> {
            if (!v.isEmpty()) {
                assertThat(read.value(k)).contains(v);
            } else {
                assertThat(read.tokens()).contains(k);
            }
        });
    }

    @Provide
    Arbitrary<Map<String, String>> safeArgs() {
        Arbitrary<String> key = Arbitraries.strings().alpha().numeric().withChars('.', '_').ofMinLength(1).ofMaxLength(20)
                .map(s -> "volant." + s);
        Arbitrary<String> value = Arbitraries.strings().alpha().numeric().withChars('-', '_', '=', ':').ofMaxLength(400);
        return Arbitraries.maps(key, value).ofMaxSize(6);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
