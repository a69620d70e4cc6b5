package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record RootFs(String url, String checksum, String format) {
    public RootFs {
        url = Manifest.s(url);
        checksum = Manifest.s(checksum);
        format = Manifest.s(format);
    }
}
