package io.volant.fledge.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.fledge.config.FledgeConfig.AgentConfig;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.util.ChecksumRule;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.HttpFetcher;
import io.volant.fledge.util.Log;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Agent sourcing (§4.5): {@code local}, {@code http}, {@code release}. A {@code release} without a configured
 * {@code repository} means "the agent bundle shipped with this fledge" (build/agent-bundle of the installation),
 * so a fresh user needs no download; with a repository it queries the GitHub releases API.
 */
public final class AgentSourcer {
    public static final String DEFAULT_API = "https://api.github.com";
    public static final String DEFAULT_ASSET = "kestrel";

    private final HttpFetcher http;
    private final Path tempDir;
    private final Optional<Path> bundle;
    private final Log log;
    private final io.volant.fledge.util.TempDirs temps;

    /** Sourced copies are owned by {@code temps}, so an interrupted build removes them too. */
    public AgentSourcer(HttpFetcher http, io.volant.fledge.util.TempDirs temps, Optional<Path> bundle, Log log) {
        this.http = http;
        this.tempDir = temps.root();
        this.bundle = bundle;
        this.log = log;
        this.temps = temps;
    }

    /**
     * @param tempDir where sourced copies go (the OS temp dir in production); {@link #cleanup} deletes only there
     * @param bundle  the project's own agent bundle directory, when one is installed
     */
    public AgentSourcer(HttpFetcher http, Path tempDir, Optional<Path> bundle, Log log) {
        this.http = http;
        this.tempDir = tempDir;
        this.bundle = bundle;
        this.log = log;
        this.temps = null;
    }

    public SourcedAgent source(AgentConfig cfg, Path workDir) {
        if (cfg == null) {
            throw new FledgeException("agent configuration is nil");
        }
        return switch (cfg.sourceStrategy()) {
            case "local" -> new SourcedAgent(local(workDir.resolve(cfg.path())), false);
            case "http" -> new SourcedAgent(download(URI.create(cfg.url()), cfg.checksum()), false);
            case "release" -> release(cfg);
            default -> throw new FledgeException("unknown agent source strategy: " + cfg.sourceStrategy());
        };
    }

    private Path local(Path p) {
        if (!Files.exists(p)) {
            throw new FledgeException("agent path does not exist: " + p);
        }
        if (Files.isDirectory(p)) {
            throw new FledgeException("agent path is a directory, expected a file: " + p);
        }
        Path copy = newTemp();
        try {
            Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new FledgeException("failed to copy agent " + p + ": " + e.getMessage(), e);
        }
        Modes.setMode(copy, 0755);
        log.info("agent sourced", "strategy", "local", "path", p);
        return copy;
    }

    private Path download(URI url, String checksum) {
        Path dest = newTemp();
        try {
            http.download(url, dest);
            if (!ChecksumRule.verify(dest, checksum)) {
                log.warn("no checksum for agent download; skipping verification", "url", url);
            }
            Modes.setMode(dest, 0755);
            log.info("agent sourced", "strategy", "http", "url", url, "sha256", ChecksumRule.sha256Hex(dest));
            return dest;
        } catch (RuntimeException e) {
            deleteQuietly(dest);
            throw e;
        }
    }

    private SourcedAgent release(AgentConfig cfg) {
        if (cfg.repository().isEmpty()) {
            Path dir = bundle.orElseThrow(() -> new FledgeException(
                    "agent bundle not found: build it (scripts/build.sh builds build/agent-bundle), set "
                            + "FLEDGE_AGENT_BUNDLE or --agent-bundle, or configure [agent] repository/local/http"));
            if (!Files.isDirectory(dir)) {
                throw new FledgeException("agent bundle is not a directory: " + dir);
            }
            log.info("agent sourced", "strategy", "release", "bundle", dir);
            return new SourcedAgent(dir, true);
        }
        String api = cfg.apiUrl().isEmpty() ? DEFAULT_API : cfg.apiUrl().replaceAll("/+$", "");
        String asset = cfg.asset().isEmpty() ? DEFAULT_ASSET : cfg.asset();
        String path = "latest".equals(cfg.version()) ? "/releases/latest" : "/releases/tags/" + cfg.version();
        HttpFetcher.Response r = http.get(URI.create(api + "/repos/" + cfg.repository() + path));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        if (r.status() != 200) {
            throw new FledgeException("GitHub API returned status " + r.status() + ": " + body);
        }
        JsonNode release;
        try {
            release = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new FledgeException("GitHub API returned invalid JSON: " + e.getMessage(), e);
        }
        String tag = release.path("tag_name").asText("");
        for (JsonNode a : release.path("assets")) {
            if (asset.equals(a.path("name").asText())) {
                return new SourcedAgent(download(URI.create(a.path("browser_download_url").asText()), cfg.checksum()), false);
            }
        }
        throw new FledgeException(asset + " binary not found in release " + tag);
    }

    private Path newTemp() {
        if (temps != null) {
            return temps.newFile("fledge-agent-");
        }
        try {
            Files.createDirectories(tempDir);
            return Files.createTempFile(tempDir, "fledge-agent-", "");
        } catch (IOException e) {
            throw new FledgeException("failed to create temp file: " + e.getMessage(), e);
        }
    }

    /** Deletes a sourced file only when it lives directly in the temp dir (never a user's file or a bundle). */
    public void cleanup(Path file) {
        try {
            Path dir = tempDir.toRealPath();
            Path real = file.toRealPath();
            if (real.getParent() != null && real.getParent().equals(dir)
                    && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(real);
            }
        } catch (IOException e) {
            log.debug("agent cleanup skipped", "path", file, "reason", e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort; the temp root is removed at exit anyway
        }
    }
}
