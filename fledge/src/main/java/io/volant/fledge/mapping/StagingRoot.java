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
        String[] parts = split(guestPath);
        Deque<String> todo = new ArrayDeque<>(java.util.List.of(parts));
        Path cur = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new FledgeException("failed to create " + root + ": " + e.getMessage(), e);
        }
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
                if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(next);
                    Files.setPosixFilePermissions(next, Modes.toPerms(0755));
                } else if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FledgeException("cannot create directory " + guestPath + ": " + rel(next)
                            + " exists and is not a directory");
                }
            } catch (IOException e) {
                throw new FledgeException("failed to create directory " + guestPath + ": " + e.getMessage(), e);
            }
            cur = next;
        }
        return cur;
    }

    private Path resolveDir(String[] parts, int count) {
        Deque<String> todo = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            todo.add(parts[i]);
        }
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
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new FledgeException("too many levels of symbolic links in " + String.join("/", parts));
                }
                String target;
                try {
                    target = Files.readSymbolicLink(next).toString();
                } catch (IOException e) {
                    throw new FledgeException("failed to read link " + next + ": " + e.getMessage(), e);
                }
                String[] tparts = split(target);
                for (int i = tparts.length - 1; i >= 0; i--) {
                    todo.push(tparts[i]);
                }
                if (target.startsWith("/")) {
                    cur = root;
                }
                continue;
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
