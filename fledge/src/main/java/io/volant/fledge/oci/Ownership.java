package io.volant.fledge.oci;

import java.util.Map;
import java.util.TreeMap;

/**
 * Metadata the unpacker could not (or, without root, must not) put on disk: owners, special files and xattrs,
 * keyed by guest path ({@code /etc/shadow}). The image makers replay it (mksquashfs pseudo file, debugfs), so a
 * build as a normal user keeps non-root owners instead of failing on {@code chown} (§7 F13).
 */
public final class Ownership {
    public record Owner(int uid, int gid) {}

    public record Special(char type, int mode, int major, int minor) {}

    private final Map<String, Owner> owners = new TreeMap<>();
    private final Map<String, Special> specials = new TreeMap<>();
    private final Map<String, Map<String, byte[]>> xattrs = new TreeMap<>();

    public void owner(String path, int uid, int gid) {
        owners.put(path, new Owner(uid, gid));
    }

    public void special(String path, Special s) {
        specials.put(path, s);
    }

    public void xattr(String path, String name, byte[] value) {
        xattrs.computeIfAbsent(path, k -> new TreeMap<>()).put(name, value);
    }

    public void forget(String path) {
        owners.remove(path);
        specials.remove(path);
        xattrs.remove(path);
        String prefix = path.endsWith("/") ? path : path + "/";
        owners.keySet().removeIf(k -> k.startsWith(prefix));
        specials.keySet().removeIf(k -> k.startsWith(prefix));
        xattrs.keySet().removeIf(k -> k.startsWith(prefix));
    }

    public Map<String, Owner> owners() {
        return owners;
    }

    public Map<String, Special> specials() {
        return specials;
    }

    public Map<String, Map<String, byte[]>> xattrs() {
        return xattrs;
    }

    public boolean allRoot() {
        return owners.values().stream().allMatch(o -> o.uid() == 0 && o.gid() == 0);
    }

    public Owner ownerOf(String path) {
        return owners.getOrDefault(path, new Owner(0, 0));
    }
}
