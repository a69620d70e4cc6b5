package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record Initramfs(String url, String checksum) {
    public Initramfs {
        url = Manifest.s(url);
        checksum = Manifest.s(checksum);
    }
}
