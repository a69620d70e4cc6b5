package io.volant.volantd.hypervisor.media;

import io.volant.volantd.hypervisor.HypervisorException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Per-VM host file names under {@code <R>} and {@code <L>} (host-runtime.md §3.8) and the checks every launch makes
 * before creating any of them (§3.3 Chosen 7-9).
 */
public record HostPaths(Path runtimeDir, Path logDir, String name) {
    /** {@code sun_path} holds 108 bytes including the terminating NUL. */
    public static final int MAX_SOCKET_PATH = 107;

    /** Validates the name (no {@code /}, NUL, {@code .}, {@code ..}) and makes both directories absolute. */
    public HostPaths {
        if (name.isEmpty() || name.contains("/") || name.indexOf('\0') >= 0 || name.equals(".") || name.equals("..")) {
            throw new HypervisorException("invalid vm name \"" + name + "\": must not contain '/' or NUL or be . or ..");
        }
        runtimeDir = runtimeDir.toAbsolutePath().normalize();
        logDir = logDir.toAbsolutePath().normalize();
    }

    public Path apiSocket() {
        return runtimeDir.resolve(name + ".sock");
    }

    public Path qmpSocket() {
        return runtimeDir.resolve(name + ".qmp");
    }

    /** The host end of the identity channel's virtio-serial port (docs/templates.md). */
    public Path identitySocket() {
        return runtimeDir.resolve(name + ".ident");
    }

    public Path serialSocket() {
        return runtimeDir.resolve(name + ".serial");
    }

    public Path vsockSocket() {
        return runtimeDir.resolve(name + ".vsock");
    }

    public Path initramfs() {
        return runtimeDir.resolve(name + ".initramfs");
    }

    public Path rootfs() {
        return runtimeDir.resolve(name + ".rootfs");
    }

    public Path disk(int index) {
        return runtimeDir.resolve(name + ".disk-" + index);
    }

    /** {@code <R>/<name><ext>}: the source's extension including the dot, or {@code .vmlinux} when it has none. */
    public Path kernel(Path source) {
        String file = source.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String ext = dot >= 0 ? file.substring(dot) : ".vmlinux";
        return runtimeDir.resolve(name + ext);
    }

    public Path hypervisorLog() {
        return logDir.resolve(name + ".log");
    }

    public Path consoleLog() {
        return logDir.resolve(name + ".console.log");
    }

    /** @throws HypervisorException {@code socket path too long (<n> bytes > 107): <path>} */
    public static void checkSocket(Path socket) {
        int n = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (n > MAX_SOCKET_PATH) {
            throw new HypervisorException("socket path too long (" + n + " bytes > " + MAX_SOCKET_PATH + "): " + socket);
        }
    }

    /** @throws HypervisorException when a path would be split by the hypervisor's option parser */
    public static void checkOptionPath(Path p) {
        String s = p.toString();
        if (s.indexOf(',') >= 0 || s.chars().anyMatch(Character::isWhitespace)) {
            throw new HypervisorException("path " + s + " contains characters not allowed in hypervisor options");
        }
    }
}
