package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record CloudInitDoc(boolean inline, String content, String path) {
    public CloudInitDoc {
        content = Manifest.s(content);
        path = Manifest.s(path);
    }
}
