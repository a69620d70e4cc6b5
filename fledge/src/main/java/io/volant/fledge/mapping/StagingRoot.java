package io.volant.fledge.mapping;

import io.volant.fledge.util.FledgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A staged image tree on the host. Every guest path is resolved component by component with symlinks interpreted
 * <em>inside</em> the tree (an absolute link target restarts at the staging root, {@code ..} stops at it), so no
 * write can escape onto the build host (§4.7 Chosen safety rule, §7 F17).
 */
public final class StagingRoot {
    private static final int MAX_LINKS = 40;
    private final Path root;

    public StagingRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Host path for {@code guestPath}: intermediate symlinks are followed within the root; the last component is
     * not followed (callers replace links rather than writing through them).
     */
    public Path resolveParentFollowing(String guestPath) {
        String[] parts = split(guestPath);
        if (parts.length == 0) {
            return root;
        }
        Path parent = resolveDir(parts, parts.length - 1);
        return parent.resolve(parts[parts.length - 1]);
    }

    /** Like {@link #resolveParentFollowing} but creates the parent directories (0755) first. */
    public Path resolveParentFollowingCreating(String guestPath) {
        String[] parts = split(guestPath);
        if (parts.length == 0) {
            throw new FledgeException("cannot write to the image root itself");
        }
        String parent = String.join("/", java.util.Arrays.copyOf(parts, parts.length - 1));
        return mkdirs(parent).resolve(parts[parts.length - 1]);
    }

    /** Host path for a directory (every component followed within the root). */
    public Path resolveDirectory(String guestPath) {
        String[] parts = split(guestPath);
        return resolveDir(parts, parts.length);
    }

    /** Creates the directory (and parents, 0755) at {@code guestPath}, following links within the root. */
    public Path mkdirs(String guestPath) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new FledgeException("failed to create " + root + ": " + e.getMessage(), e);
        }
        String[] parts = split(guestPath);
        return walk(guestPath, parts, parts.length, true);
    }

    private Path resolveDir(String[] parts, int count) {
        return walk(String.join("/", parts), parts, count, false);
    }

    /**
     * The one walker: resolves the first {@code count} components of {@code parts} from the root, a symlink's target
     * replacing it in the queue (an absolute target restarts at the root, {@code ..} stops at the root), and with
     * {@code create} makes each missing directory (0755) on the way. At most {@value #MAX_LINKS} links are followed.
     */
    private Path walk(String guestPath, String[] parts, int count, boolean create) {
        Deque<String> todo = new ArrayDeque<>(java.util.Arrays.asList(parts).subList(0, count));
        Path cur = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.equals(".") || part.isEmpty()) {
                continue;
            }
            if (part.equals("..")) {
                cur = cur.equals(root) ? root : cur.getParent();
                continue;
            }
            Path next = cur.resolve(part);
            try {
                if (Files.isSymbolicLink(next)) {
                    if (++links > MAX_LINKS) {
                        throw new FledgeException("too many levels of symbolic links resolving " + guestPath);
                    }
                    String target = Files.readSymbolicLink(next).toString();
                    String[] tparts = split(target);
                    for (int i = tparts.length - 1; i >= 0; i--) {
                        todo.push(tparts[i]);
                    }
                    if (target.startsWith("/")) {
                        cur = root;
                    }
                    continue;
                }
                if (create && !Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(next);
                    Files.setPosixFilePermissions(next, Modes.toPerms(0755));
                } else if (create && !Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FledgeException("cannot create directory " + guestPath + ": " + rel(next)
                            + " exists and is not a directory");
                }
            } catch (IOException e) {
                throw new FledgeException((create ? "failed to create directory " : "failed to resolve ") + guestPath
                        + ": " + e.getMessage(), e);
            }
            cur = next;
        }
        return cur;
    }

    private String rel(Path p) {
        return "/" + root.relativize(p);
    }

    static String[] split(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
