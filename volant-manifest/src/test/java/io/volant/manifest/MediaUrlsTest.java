package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediaUrlsTest {

    @Test
    void http_urls_are_remote_and_need_a_host() {
        assertThat(MediaUrls.isRemote("https://h/x")).isTrue();
        assertThat(MediaUrls.isRemote("HTTP://h/x")).as("case-sensitive like the launcher").isFalse();
        assertThat(MediaUrls.isValid("https://github.com/a/b.img")).isTrue();
        assertThat(MediaUrls.isValid("http:///x")).isFalse();
        assertThat(MediaUrls.isValid("http://h/a b")).isFalse();
    }

    @Test
    void file_urls_and_absolute_paths_are_local() {
        assertThat(MediaUrls.isValid("/srv/a.img")).isTrue();
        assertThat(MediaUrls.isValid("file:///srv/a%20b.img")).isTrue();
        assertThat(MediaUrls.isValid("file://srv/a.img")).isFalse();
        assertThat(MediaUrls.isValid("file:///bad%zz")).isFalse();
        assertThat(MediaUrls.isValid("a.img")).isFalse();
        assertThat(MediaUrls.localPath("file:///srv/a%20b%C3%A9.img")).isEqualTo(Path.of("/srv/a bé.img"));
        assertThat(MediaUrls.localPath(" /srv/x ")).isEqualTo(Path.of("/srv/x"));
    }

    @Test
    void anything_else_is_an_unsupported_location() {
        assertThatThrownBy(() -> MediaUrls.localPath("ftp://h/x")).isInstanceOf(ManifestException.class)
                .hasMessage("unsupported artifact location ftp://h/x");
        assertThatThrownBy(() -> MediaUrls.localPath("file:///a%00b")).isInstanceOf(ManifestException.class);
    }
}
