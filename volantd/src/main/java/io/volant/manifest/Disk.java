package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record Disk(String name, String source, String checksum, String format, boolean readonly, String target) {
    public Disk {
        name = Manifest.s(name);
        source = Manifest.s(source);
        checksum = Manifest.s(checksum);
        format = Manifest.s(format);
        target = Manifest.s(target);
    }
}
