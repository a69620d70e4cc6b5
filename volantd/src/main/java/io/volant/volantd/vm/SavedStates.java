package io.volant.volantd.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.errors.InternalException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saved states of suspended VMs (issue 13 item 4): one directory per VM under {@code <data_dir>/suspended}, on
 * disk rather than the runtime dir's tmpfs, mode 0700 because it holds guest memory. A state is complete once its
 * marker {@value #MARKER} exists; the marker is written last, after the hypervisor has written everything and
 * exited, so startup recovery can tell a finished suspend from a torn one.
 */
public final class SavedStates {
    private static final Logger log = LoggerFactory.getLogger(SavedStates.class);
    static final String MARKER = "suspended.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public SavedStates(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** What the marker records. */
    public record Marker(String backend, Instant suspendedAt) {}

    /** Count and bytes on disk of the complete states (system info). */
    public record Usage(int count, long bytes) {}

    /** {@code <data_dir>/suspended}. */
    public Path root() {
        return root;
    }

    /** {@code <root>/<name>}. */
    public Path dir(String name) {
        return root.resolve(name);
    }

    /** An empty directory for a new state of {@code name}; a leftover one is discarded first. */
    Path prepare(String name) {
        discard(name);
        Path dir = dir(name);
        try {
            var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root, mode);
            }
            return Files.createDirectory(dir, mode);
        } catch (IOException e) {
            throw new InternalException("orchestrator: suspend vm " + name + ": create state dir " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes the marker (temp file + rename): from now on the state of {@code name} is complete. */
    void complete(String name, Marker m) {
        Path marker = dir(name).resolve(MARKER);
        Path tmp = marker.resolveSibling(MARKER + ".part");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(Map.of("backend", m.backend(),
                    "suspended_at", m.suspendedAt().toString())));
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InternalException("orchestrator: suspend vm " + name + ": write " + marker + ": " + e.getMessage(), e);
        }
    }

    /** The marker of a complete state, or empty (no directory, torn suspend, unreadable marker). */
    Optional<Marker> marker(String name) {
        Path marker = dir(name).resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(marker));
            return Optional.of(new Marker(n.path("backend").asText(""), Instant.parse(n.path("suspended_at").asText())));
        } catch (IOException | RuntimeException e) {
            log.warn("unreadable suspend marker path={} error={}", marker, e.getMessage());
            return Optional.empty();
        }
    }

    /** Removes the state of {@code name} (idempotent); failures are logged, never fatal. */
    void discard(String name) {
        Path dir = dir(name);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            log.info("suspended state removed vm={}", name);
        } catch (IOException | RuntimeException e) {
            log.warn("suspended state removal failed vm={} error={}", name, e.getMessage());
        }
    }

    /** Names that have a state directory, complete or not. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            ds.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            log.warn("list suspended states failed dir={} error={}", root, e.getMessage());
        }
        return out;
    }

    /** Count and size of the complete states. */
    public Usage usage() {
        int count = 0;
        long bytes = 0;
        for (String name : names()) {
            if (marker(name).isEmpty()) {
                continue;
            }
            count++;
            try (Stream<Path> walk = Files.walk(dir(name))) {
                bytes += walk.filter(Files::isRegularFile).mapToLong(SavedStates::size).sum();
            } catch (IOException | RuntimeException e) {
                log.warn("size of suspended state failed vm={} error={}", name, e.getMessage());
            }
        }
        return new Usage(count, bytes);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
