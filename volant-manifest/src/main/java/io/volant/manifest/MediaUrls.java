package io.volant.manifest;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Locations of boot media and disks (plugins-and-guest.md §1.7, host-runtime.md §3.3 Chosen 1): {@code http://}
 * and {@code https://} are downloaded; {@code file://} (percent-decoded) and absolute paths are local.
 * Scheme prefixes are case-sensitive, as in the launcher.
 */
public final class MediaUrls {
    private MediaUrls() {}

    /** @return whether the location is downloaded ({@code http://} or {@code https://}) */
    public static boolean isRemote(String location) {
        String t = Text.trim(location);
        return t.startsWith("http://") || t.startsWith("https://");
    }

    /**
     * @return whether the location is acceptable in a manifest: an http(s) URL with a host, a {@code file://} URL
     *         whose path is absolute and well percent-encoded, or an absolute path
     */
    public static boolean isValid(String location) {
        String t = Text.trim(location);
        if (isRemote(t)) {
            try {
                URI u = new URI(t);
                return u.getHost() != null && !u.getHost().isEmpty();
            } catch (URISyntaxException e) {
                return false;
            }
        }
        if (t.startsWith("file://")) {
            String path = percentDecode(t.substring("file://".length()));
            return path != null && path.startsWith("/");
        }
        return t.startsWith("/");
    }

    /**
     * @return the local path of a {@code file://} URL (percent-decoded, §7 G3) or an absolute path
     * @throws ManifestException {@code unsupported artifact location <value>} for anything else
     */
    public static Path localPath(String location) {
        String t = Text.trim(location);
        String path = t.startsWith("file://") ? percentDecode(t.substring("file://".length())) : t;
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new ManifestException("unsupported artifact location " + location);
        }
        return Path.of(path);
    }

    /** @return the decoded string, or null when a {@code %} escape is malformed or the bytes are not UTF-8 */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                out.write(raw[i]);
                continue;
            }
            if (i + 2 >= raw.length) {
                return null;
            }
            int hi = Character.digit(raw[i + 1], 16);
            int lo = Character.digit(raw[i + 2], 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
