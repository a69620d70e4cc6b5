package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The volant.manifest transport of plugins-and-guest.md §1.9. */
class ManifestCodecTest {
    private static final Manifest CADDY = Manifests.parse(Fixtures.resource(Fixtures.CADDY));
    private static final Manifest NGINX = Manifests.parse(Fixtures.resource(Fixtures.NGINX));

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void encoding_is_gzip_of_compact_normalized_json_in_unpadded_base64url() throws Exception {
        String enc = ManifestCodec.encode(CADDY);
        assertThat(enc).matches("[A-Za-z0-9_-]+");
        byte[] raw = Base64.getUrlDecoder().decode(enc);
        assertThat(raw[0] & 0xFF).isEqualTo(0x1F);
        assertThat(raw[1] & 0xFF).isEqualTo(0x8B);
        assertThat(raw[3]).as("FLG: no file name").isZero();
        assertThat(new byte[] {raw[4], raw[5], raw[6], raw[7]}).as("MTIME 0").containsOnly(0);
        String json = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(Manifests.toCompactJson(Manifests.normalize(CADDY)));
    }

    @Test
    void encoding_is_reproducible() {
        assertThat(ManifestCodec.encode(CADDY)).isEqualTo(ManifestCodec.encode(Manifests.parse(Fixtures.resource(Fixtures.CADDY))));
    }

    @Test
    void decode_of_encode_is_the_normalized_manifest() {
        assertThat(ManifestCodec.decode(ManifestCodec.encode(CADDY))).isEqualTo(Manifests.normalize(CADDY));
        assertThat(ManifestCodec.decode(ManifestCodec.encode(NGINX))).isEqualTo(Manifests.normalize(NGINX));
    }

    @Test
    void padded_values_and_surrounding_whitespace_are_accepted() {
        String enc = ManifestCodec.encode(NGINX);
        String padded = enc + "=".repeat((4 - enc.length() % 4) % 4);
        assertThat(padded.length() % 4).isZero();
        assertThat(ManifestCodec.decode("  " + padded + "\n")).isEqualTo(Manifests.normalize(NGINX));
    }

    @Test
    void legacy_uncompressed_json_payload_is_decoded_and_normalized() {
        String legacy = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Fixtures.resource(Fixtures.CADDY).getBytes(StandardCharsets.UTF_8));
        Manifest m = ManifestCodec.decode(legacy);
        assertThat(m).isEqualTo(Manifests.normalize(CADDY));
        assertThat(m.labels()).containsEntry("volant.plugin", "caddy");
    }

    @Test
    void unknown_members_in_the_payload_are_ignored() throws Exception {
        String enc = Base64.getUrlEncoder().encodeToString(gzip(
                "{\"name\":\" x \",\"future\":{\"a\":[1,2]}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ManifestCodec.decode(enc).name()).isEqualTo("x");
    }

    @Test
    void guest_projection_drops_what_the_guest_never_uses() {
        Manifest full = CADDY.withCloudInit(new CloudInit("", "", CloudInitDoc.inline("#cloud-config\npassword: s3cret"), null, null))
                .withDisks(List.of(new Disk("data", "/d.img", "", "", false, "")))
                .withDevices(new DeviceConfig(List.of("0000:01:00.0"), List.of()))
                .withLabels(Map.of("team", "a"))
                .withNetwork(new NetworkConfig("vsock", "", "", false))
                .withActions(Map.of("reload", new Action("", "POST", "/reload", 0)));
        Manifest g = ManifestCodec.guestProjection(full);
        assertThat(g.cloudInit()).isNull();
        assertThat(g.disks()).isEmpty();
        assertThat(g.devices()).isNull();
        assertThat(g.labels()).isEmpty();
        assertThat(g.openapi()).isEmpty();
        assertThat(g.image()).isEmpty();
        assertThat(g.imageDigest()).isEmpty();
        assertThat(g.network()).isEqualTo(new NetworkConfig("vsock", "", "", false));
        assertThat(g.actions()).containsKey("reload");
        assertThat(g.workload()).isEqualTo(Manifests.normalize(full).workload());
        String json = Manifests.toCompactJson(g);
        assertThat(json).doesNotContain("s3cret", "cloud_init", "labels", "disks", "devices");
        assertThat(ManifestCodec.decode(ManifestCodec.encodeGuest(full))).isEqualTo(Manifests.normalize(g));
    }

    @Test
    void nginx_guest_projection_drops_the_image_lineage() {
        String json = Manifests.toCompactJson(ManifestCodec.guestProjection(NGINX));
        assertThat(json).doesNotContain("image", "nginx:latest");
    }

    @Test
    void caddy_guest_encoding_fits_in_600_characters() {
        String enc = ManifestCodec.encodeGuest(CADDY);
        assertThat(enc.length()).isLessThanOrEqualTo(600);
        assertThat(ManifestCodec.encodeGuest(NGINX).length()).isLessThanOrEqualTo(600);
    }

    @Test
    void garbage_is_refused_with_a_manifest_exception() throws Exception {
        assertThatThrownBy(() -> ManifestCodec.decode(null)).isInstanceOf(ManifestException.class)
                .hasMessage("volant.manifest: value is empty");
        assertThatThrownBy(() -> ManifestCodec.decode(" \n")).hasMessage("volant.manifest: value is empty");
        assertThatThrownBy(() -> ManifestCodec.decode("not base64!")).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("volant.manifest: invalid base64url:");
        assertThatThrownBy(() -> ManifestCodec.decode("a+b/")).hasMessageStartingWith("volant.manifest: invalid base64url:");
        String truncated = ManifestCodec.encode(CADDY);
        assertThatThrownBy(() -> ManifestCodec.decode(truncated.substring(0, truncated.length() / 2)))
                .isInstanceOf(ManifestException.class).hasMessageStartingWith("volant.manifest: corrupt gzip data:");
        String notJson = Base64.getUrlEncoder().encodeToString(gzip("hello".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ManifestCodec.decode(notJson)).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("volant.manifest: plugin manifest: invalid JSON");
        String array = Base64.getUrlEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ManifestCodec.decode(array)).isInstanceOf(ManifestException.class);
    }

    @Test
    void a_gzip_bomb_is_refused_by_the_inflated_size_limit() throws Exception {
        byte[] zeros = new byte[Manifests.MAX_DOCUMENT_BYTES + 10];
        String bomb = Base64.getUrlEncoder().encodeToString(gzip(zeros));
        assertThat(bomb.length()).isLessThan(ManifestCodec.MAX_ENCODED_CHARS);
        assertThatThrownBy(() -> ManifestCodec.decode(bomb)).isInstanceOf(ManifestException.class)
                .hasMessage("volant.manifest: inflated manifest exceeds 4194304 bytes");
    }

    @Test
    void decoding_works_again_after_bad_input() {
        String good = ManifestCodec.encode(CADDY);
        assertThatThrownBy(() -> ManifestCodec.decode("%%%")).isInstanceOf(ManifestException.class);
        assertThat(ManifestCodec.decode(good).name()).isEqualTo("caddy");
    }
}
