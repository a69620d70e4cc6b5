package io.volant.fledge.initramfs;

import java.nio.file.Path;

/**
 * One archive member. Exactly one content source is used: {@code file} (streamed from the host) or {@code bytes}
 * (regular files), {@code linkTarget} (symlinks); directories and device nodes have no content.
 */
public record CpioEntry(String name, Kind kind, int mode, Path file, byte[] bytes, String linkTarget,
                        int rdevMajor, int rdevMinor) {
    public enum Kind { DIRECTORY, FILE, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }

    public static CpioEntry directory(String name, int mode) {
        return new CpioEntry(name, Kind.DIRECTORY, mode, null, null, null, 0, 0);
    }

    public static CpioEntry file(String name, int mode, Path file) {
        return new CpioEntry(name, Kind.FILE, mode, file, null, null, 0, 0);
    }

    public static CpioEntry bytes(String name, int mode, byte[] content) {
        return new CpioEntry(name, Kind.FILE, mode, null, content, null, 0, 0);
    }

    public static CpioEntry symlink(String name, String target) {
        return new CpioEntry(name, Kind.SYMLINK, 0777, null, null, target, 0, 0);
    }

    /** A device node or FIFO by its type letter ({@code c}, {@code b}, {@code p}). */
    public static CpioEntry special(String name, char type, int mode, int major, int minor) {
        Kind k = switch (type) {
            case 'c' -> Kind.CHAR_DEVICE;
            case 'b' -> Kind.BLOCK_DEVICE;
            default -> Kind.FIFO;
        };
        return new CpioEntry(name, k, mode, null, null, null, k == Kind.FIFO ? 0 : major, k == Kind.FIFO ? 0 : minor);
    }

    public static CpioEntry charDevice(String name, int mode, int major, int minor) {
        return new CpioEntry(name, Kind.CHAR_DEVICE, mode, null, null, null, major, minor);
    }
}
