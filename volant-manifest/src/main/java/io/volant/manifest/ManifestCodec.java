package io.volant.manifest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code volant.manifest} kernel-command-line value (plugins-and-guest.md §1.9): compact JSON of the
 * normalized manifest, gzip (RFC 1952, default level, no file name, mtime 0), base64url (RFC 4648 §5) without
 * padding. The alphabet holds no spaces, quotes or {@code =}, so the value is safe on a command line.
 *
 * <p>Decoding is total: any input either yields a normalized manifest or throws {@link ManifestException};
 * input and inflated sizes are bounded so a hostile value cannot exhaust memory.
 */
public final class ManifestCodec {
    /** Longest encoded value accepted by {@link #decode} (an env variable may carry more than a command line). */
    public static final int MAX_ENCODED_CHARS = 1024 * 1024;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ManifestCodec() {}

    /** Normalizes {@code m} and encodes all of it. */
    public static String encode(Manifest m) {
        return encodeJson(Manifests.toCompactJson(Manifests.normalize(m)));
    }

    /**
     * The manifest as the guest sees it (§1.9 Chosen, §7 G14): normalized, then without {@code cloud_init},
     * {@code disks}, {@code devices}, {@code labels}, {@code openapi}, {@code image}, {@code image_digest}. The
     * guest never uses them, and leaving them out keeps cloud-init secrets off {@code /proc/cmdline}.
     * The result is deliberately not normalized again (normalization would re-create {@code labels}).
     */
    public static Manifest guestProjection(Manifest m) {
        Manifest n = Manifests.normalize(m);
        return new Manifest(n.schemaVersion(), n.name(), n.version(), n.runtime(), n.rootfs(), n.initramfs(),
                List.of(), "", "", n.resources(), n.actions(), n.healthCheck(), n.workload(), null, n.network(), null,
                n.enabled(), "", Map.of());
    }

    /** Encodes the {@link #guestProjection} of {@code m}: the value for {@code volant.manifest}. */
    public static String encodeGuest(Manifest m) {
        return encodeJson(Manifests.toCompactJson(guestProjection(m)));
    }

    /**
     * Decodes a {@code volant.manifest} value (or {@code VOLANT_MANIFEST}): trims, base64url-decodes (padded or
     * unpadded), gunzips when the bytes are a gzip stream, else takes them as JSON (the legacy encoding), ignores
     * unknown members and normalizes.
     *
     * @throws ManifestException for every malformed input, never another exception type
     */
    public static Manifest decode(String encoded) {
        if (encoded == null) {
            throw new ManifestException("volant.manifest: value is empty");
        }
        String value = Text.trim(encoded);
        if (value.isEmpty()) {
            throw new ManifestException("volant.manifest: value is empty");
        }
        if (value.length() > MAX_ENCODED_CHARS) {
            throw new ManifestException("volant.manifest: value is " + value.length() + " characters, limit "
                    + MAX_ENCODED_CHARS);
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(value);
        } catch (IllegalArgumentException e) {
            throw new ManifestException("volant.manifest: invalid base64url: " + e.getMessage(), e);
        }
        byte[] json = isGzip(bytes) ? gunzip(bytes) : bytes;
        try {
            return Manifests.normalize(Manifests.parse(json));
        } catch (ManifestException e) {
            throw new ManifestException("volant.manifest: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ManifestException("volant.manifest: cannot decode: " + e, e);
        }
    }

    private static String encodeJson(String json) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(json.length() / 2 + 32);
        // GZIPOutputStream writes no file name and mtime 0, so equal manifests give equal encodings.
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ManifestException("volant.manifest: gzip failed: " + e.getMessage(), e);
        }
        return ENCODER.encodeToString(buf.toByteArray());
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B;
    }

    /** Bounded gunzip: at most {@link Manifests#MAX_DOCUMENT_BYTES} of output, so a gzip bomb is refused. */
    private static byte[] gunzip(byte[] bytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] out = in.readNBytes(Manifests.MAX_DOCUMENT_BYTES + 1);
            if (out.length > Manifests.MAX_DOCUMENT_BYTES) {
                throw new ManifestException("volant.manifest: inflated manifest exceeds "
                        + Manifests.MAX_DOCUMENT_BYTES + " bytes");
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ManifestException me) {
                throw me;
            }
            throw new ManifestException("volant.manifest: corrupt gzip data: " + e.getMessage(), e);
        }
    }
}
