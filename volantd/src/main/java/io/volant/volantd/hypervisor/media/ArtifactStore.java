package io.volant.volantd.hypervisor.media;

import io.volant.manifest.Checksums;
import io.volant.manifest.ManifestException;
import io.volant.manifest.MediaUrls;
import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot media and disk sources (host-runtime.md §3.3 Chosen 1-5): resolves locations, refuses anything but regular
 * files inside the allowed roots, downloads http(s) with redirects, verifies SHA-256 (every medium, disks too) and
 * keeps checksummed downloads once in the cache as {@code sha256-<hex>}. Writes go to {@code <dst>.part}, which is
 * deleted on any failure, and are renamed into place only once verified. Thread-safe.
 */
public final class ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(410, "Gone"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private final Path cacheDir;
    private final List<Path> allowedRoots;
    private final HttpClient http;

    public ArtifactStore(Path cacheDir, List<Path> allowedRoots) {
        this(cacheDir, allowedRoots, HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    public ArtifactStore(Path cacheDir, List<Path> allowedRoots, HttpClient http) {
        this.cacheDir = cacheDir;
        this.allowedRoots = List.copyOf(allowedRoots);
        this.http = http;
    }

    /**
     * The real path of a local source after the §3.3 Chosen 2 checks.
     *
     * @throws HypervisorException {@code artifact <path> is not a regular file}, {@code ... outside allowed roots},
     *                             {@code unsupported artifact location <value>}
     */
    public Path localSource(String location) {
        Path p;
        try {
            p = MediaUrls.localPath(location);
        } catch (ManifestException e) {
            throw new HypervisorException(e.getMessage(), e);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new HypervisorException("open " + p + ": no such file or directory", e);
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new HypervisorException("open " + p + ": " + e.getMessage(), e);
        }
        if (!attrs.isRegularFile() || real.startsWith("/proc") || real.startsWith("/sys")) {
            throw new HypervisorException("artifact " + p + " is not a regular file");
        }
        if (!allowedRoots.isEmpty() && allowedRoots.stream().noneMatch(real::startsWith)) {
            throw new HypervisorException("artifact " + p + " outside allowed roots");
        }
        return real;
    }

    /**
     * Copies (local) or downloads (remote, through the cache when a checksum is given) {@code location} to
     * {@code dst}, verifying {@code checksum}. {@code dst} exists afterwards only on success.
     */
    public void copyTo(String location, String checksum, Path dst) {
        Optional<String> expected = expected(checksum);
        if (MediaUrls.isRemote(location)) {
            Path source = expected.isPresent() ? cached(location.trim(), expected.get()) : null;
            if (source == null) {
                writeVerified(dst, expected, out -> download(location.trim(), out));
                return;
            }
            writeVerified(dst, Optional.empty(), out -> Files.copy(source, out));
            return;
        }
        Path src = localSource(location);
        writeVerified(dst, expected, out -> Files.copy(src, out));
    }

    /**
     * A disk source: a local file is verified and used in place; a remote one is downloaded to {@code downloadDst}.
     *
     * @return the path to attach
     */
    public Path diskSource(String location, String checksum, Path downloadDst) {
        if (MediaUrls.isRemote(location)) {
            copyTo(location, checksum, downloadDst);
            return downloadDst;
        }
        Path src = localSource(location);
        Optional<String> expected = expected(checksum);
        if (expected.isPresent()) {
            verify(expected.get(), Checksums.sha256Hex(src));
        }
        return src;
    }

    /** The cached copy of a checksummed remote artifact, downloading it first when absent. */
    private Path cached(String url, String hex) {
        Path entry = cacheDir.resolve("sha256-" + hex);
        if (Files.isRegularFile(entry)) {
            return entry;
        }
        writeVerified(entry, Optional.of(hex), out -> download(url, out));
        LOG.info("artifact cached url={} file={}", url, entry);
        return entry;
    }

    private void download(String url, OutputStream out) throws IOException {
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build();
        } catch (IllegalArgumentException e) {
            throw new IOException("download " + url + ": " + e.getMessage(), e);
        }
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download " + url + ": interrupted", e);
        }
        try (InputStream in = resp.body()) {
            int code = resp.statusCode();
            if (code >= 300) {
                throw new IOException("download " + url + ": status " + code + " " + REASONS.getOrDefault(code, "")
                        .trim());
            }
            in.transferTo(out);
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private void writeVerified(Path dst, Optional<String> expected, Writer writer) {
        Path part = dst.resolveSibling(dst.getFileName() + ".part");
        try {
            Files.createDirectories(dst.getParent());
            MessageDigest digest = Checksums.newSha256();
            try (OutputStream out = new java.security.DigestOutputStream(Files.newOutputStream(part), digest)) {
                writer.write(out);
            }
            if (expected.isPresent()) {
                verify(expected.get(), Checksums.hex(digest));
            }
            Files.move(part, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new HypervisorException(e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    private static Optional<String> expected(String checksum) {
        try {
            return Checksums.expectedSha256(checksum);
        } catch (ManifestException e) {
            throw new HypervisorException(e.getMessage(), e);
        }
    }

    private static void verify(String expectedHex, String actualHex) {
        try {
            Checksums.verifyHex(expectedHex, actualHex);
        } catch (ManifestException e) {
            throw new HypervisorException(e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover .part is overwritten by the next attempt
        }
    }

}
