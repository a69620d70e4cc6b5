package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
    // sha256("hello\n")
    private static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @Test
    void accepted_forms_are_bare_or_prefixed_64_hex_in_any_case() {
        assertThat(Checksums.isValid("")).isTrue();
        assertThat(Checksums.isValid(" " + HELLO + " ")).isTrue();
        assertThat(Checksums.isValid("sha256:" + HELLO.toUpperCase())).isTrue();
        assertThat(Checksums.isValid("SHA256:" + HELLO)).isTrue();
        assertThat(Checksums.isValid("sha512:" + HELLO)).isFalse();
        assertThat(Checksums.isValid(HELLO.substring(1))).isFalse();
        assertThat(Checksums.isValid(HELLO.substring(1) + "g")).isFalse();
        assertThat(Checksums.isValid(HELLO.substring(1) + "\uff10")).as("full-width digit").isFalse();
    }

    @Test
    void expected_digest_is_lower_case_hex_without_prefix() {
        assertThat(Checksums.expectedSha256("sha256:" + HELLO.toUpperCase())).contains(HELLO);
        assertThat(Checksums.expectedSha256("  ")).isEmpty();
        assertThatThrownBy(() -> Checksums.expectedSha256("md5:abc")).isInstanceOf(ManifestException.class)
                .hasMessage("checksum \"md5:abc\" must be sha256:<64 hex digits> or 64 hex digits");
    }

    @Test
    void file_verification_passes_on_match_and_reports_expected_and_actual(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.img"), "hello\n", StandardCharsets.UTF_8);
        assertThat(Checksums.sha256Hex(f)).isEqualTo(HELLO);
        assertThat(Checksums.sha256Hex("hello\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(HELLO);
        assertThatCode(() -> Checksums.verify(f, "sha256:" + HELLO.toUpperCase())).doesNotThrowAnyException();
        assertThatCode(() -> Checksums.verify(dir.resolve("missing"), "")).doesNotThrowAnyException();
        String other = "0".repeat(64);
        assertThatThrownBy(() -> Checksums.verify(f, other)).isInstanceOf(ManifestException.class)
                .hasMessage("checksum mismatch: expected " + other + " got " + HELLO);
    }

    @Test
    void unreadable_file_is_a_manifest_exception(@TempDir Path dir) {
        assertThatThrownBy(() -> Checksums.verify(dir.resolve("missing"), HELLO)).isInstanceOf(ManifestException.class)
                .hasMessage("checksum: read " + dir.resolve("missing") + ": no such file");
    }
}
