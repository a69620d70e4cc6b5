package io.volant.fledge.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Owns every temporary directory and file of one fledge process, under one temp root. {@link #close()} removes all
 * that remain; it runs in {@code finally} blocks and, through {@link #installShutdownHook()}, on SIGINT/SIGTERM, so
 * a failed or interrupted build leaves nothing behind. Also tracks child processes so an interrupt stops them.
 */
public final class TempDirs implements AutoCloseable {
    private final Path root;
    private final Set<Path> owned = new LinkedHashSet<>();
    private final Set<Process> processes = new LinkedHashSet<>();
    private volatile boolean aborted;

    public TempDirs(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public synchronized Path newDir(String prefix) {
        checkAborted();
        try {
            Files.createDirectories(root);
            Path dir = Files.createTempDirectory(root, prefix);
            owned.add(dir);
            return dir;
        } catch (IOException e) {
            throw new FledgeException("failed to create temp dir in " + root + ": " + e.getMessage(), e);
        }
    }

    public synchronized Path newFile(String prefix) {
        checkAborted();
        try {
            Files.createDirectories(root);
            Path f = Files.createTempFile(root, prefix, "");
            owned.add(f);
            return f;
        } catch (IOException e) {
            throw new FledgeException("failed to create temp file in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Takes ownership of a path created elsewhere (e.g. a partial artifact next to the output). */
    public synchronized void adopt(Path p) {
        owned.add(p);
    }

    /** Gives up ownership without deleting (the path became the finished artifact). */
    public synchronized void disown(Path p) {
        owned.remove(p);
    }

    /** Removes one owned path early (e.g. a staging dir once its archive is written). */
    public synchronized void release(Path p) {
        owned.remove(p);
        deleteTree(p);
    }

    public synchronized void track(Process p) {
        processes.add(p);
    }

    public synchronized void untrack(Process p) {
        processes.remove(p);
    }

    public boolean aborted() {
        return aborted;
    }

    /** Throws when the build was interrupted; long loops call this between steps. */
    public void checkAborted() {
        if (aborted) {
            throw new FledgeException("build interrupted");
        }
    }

    /** Interrupt path: stop children, then remove everything. Safe to call from a shutdown hook, twice. */
    public void abort() {
        aborted = true;
        List<Process> procs;
        synchronized (this) {
            procs = new ArrayList<>(processes);
        }
        for (Process p : procs) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : procs) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    @Override
    public synchronized void close() {
        for (Path p : List.copyOf(owned)) {
            deleteTree(p);
        }
        owned.clear();
    }

    /** Registers a hook that aborts the build on JVM shutdown (SIGINT/SIGTERM); returns it for removal. */
    public Thread installShutdownHook() {
        Thread hook = new Thread(this::abort, "fledge-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Recursive delete that never follows symlinks (a link to a host dir removes the link only). */
    public static void deleteTree(Path p) {
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    // A read-only directory from an image layer cannot be emptied without this.
                    dir.toFile().setWritable(true, true);
                    dir.toFile().setExecutable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("failed to remove " + p, e);
        }
    }
}
