package io.volant.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** TEMPORARY stand-in (see package-info). */
public final class ManifestCodec {
    private ManifestCodec() {}

    public static String encode(Manifest m) {
        return gzipBase64(Manifests.toCompactJson(Manifests.normalize(m)));
    }

    public static String encodeGuest(Manifest m) {
        Manifest g = new Manifest(m.schemaVersion(), m.name(), m.version(), m.runtime(), m.rootfs(), m.initramfs(),
                null, "", "", m.resources(), m.actions(), m.healthCheck(), m.workload(), null, m.network(), null,
                m.enabled(), "", null);
        return encode(g);
    }

    private static String gzipBase64(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ManifestException("encode manifest: " + e.getMessage());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }
}
