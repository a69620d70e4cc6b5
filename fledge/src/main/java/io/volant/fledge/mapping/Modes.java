package io.volant.fledge.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Octal mode ↔ {@link PosixFilePermission} conversions and the full Unix mode of a path. */
public final class Modes {
    private static final PosixFilePermission[] ORDER = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private Modes() {}

    public static Set<PosixFilePermission> toPerms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(ORDER[i]);
            }
        }
        return s;
    }

    public static int fromPerms(Set<PosixFilePermission> perms) {
        int m = 0;
        for (int i = 0; i < ORDER.length; i++) {
            if (perms.contains(ORDER[i])) {
                m |= 1 << i;
            }
        }
        return m;
    }

    /** Permission bits incl. setuid/setgid/sticky (07777) of a path, not following links. */
    public static int mode(Path p) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
        } catch (IOException | UnsupportedOperationException e) {
            try {
                return fromPerms(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            } catch (IOException e2) {
                throw new io.volant.fledge.util.FledgeException("failed to stat " + p + ": " + e2.getMessage(), e2);
            }
        }
    }

    /** Sets the permission bits incl. setuid/setgid/sticky (Java's PosixFilePermission cannot express those). */
    public static void setMode(Path p, int mode) {
        try {
            Files.setAttribute(p, "unix:mode", mode & 07777);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            try {
                Files.setPosixFilePermissions(p, toPerms(mode));
            } catch (IOException e2) {
                throw new io.volant.fledge.util.FledgeException("failed to chmod " + p + ": " + e2.getMessage(), e2);
            }
        }
    }
}
