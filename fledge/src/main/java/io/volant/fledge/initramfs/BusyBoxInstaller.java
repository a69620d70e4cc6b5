package io.volant.fledge.initramfs;

import io.volant.fledge.config.ConfigLoader;
import io.volant.fledge.mapping.Mappings;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.util.ChecksumRule;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.HttpFetcher;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * BusyBox (§4.6): {@code FLEDGE_BUSYBOX_PATH}, else a {@code file://} URL or absolute path, else a download. When
 * the default URL cannot be downloaded (offline), Debian's busybox-static ({@code /bin/busybox}) is used instead.
 */
public final class BusyBoxInstaller {
    public static final List<String> APPLETS = List.of("sh", "ash", "ls", "cat", "cp", "mv", "rm", "mkdir", "rmdir",
            "ln", "chmod", "chown", "ps", "kill", "mount", "umount", "grep", "sed", "awk", "find", "test", "echo",
            "printf", "true", "false", "sleep", "pwd", "cd", "env", "which", "tar", "gzip", "gunzip", "wget", "vi");

    private final HttpFetcher http;
    private final TempDirs temps;
    private final Log log;
    private final Path debianBusybox;

    public BusyBoxInstaller(HttpFetcher http, TempDirs temps, Log log, Path debianBusybox) {
        this.http = http;
        this.temps = temps;
        this.log = log;
        this.debianBusybox = debianBusybox;
    }

    /** Resolves the BusyBox binary (verified) to a host file. */
    public Path resolve(String url, String sha256, Map<String, String> env, Path workDir) {
        String override = env.getOrDefault("FLEDGE_BUSYBOX_PATH", "");
        if (!override.isEmpty()) {
            Path p = workDir.resolve(override);
            requireFile(p);
            log.info("busybox from FLEDGE_BUSYBOX_PATH", "path", p);
            return p;
        }
        if (url.startsWith("file://") || url.startsWith("/")) {
            Path p = url.startsWith("file://") ? Path.of(URI.create(url)) : Path.of(url);
            requireFile(p);
            verify(p, sha256, url);
            return p;
        }
        Path dest = temps.newFile("fledge-busybox-");
        try {
            http.download(URI.create(url), dest);
        } catch (FledgeException e) {
            if (url.equals(ConfigLoader.DEFAULT_BUSYBOX_URL) && Files.isRegularFile(debianBusybox)) {
                log.warn("busybox download failed; using Debian busybox-static", "url", url,
                        "error", e.getMessage(), "path", debianBusybox);
                return debianBusybox;
            }
            throw e;
        }
        verify(dest, sha256, url);
        return dest;
    }

    private void verify(Path p, String sha256, String url) {
        if (!ChecksumRule.verify(p, sha256)) {
            log.warn("no busybox checksum configured; skipping verification", "url", url);
        }
    }

    private static void requireFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new FledgeException("busybox binary not found: " + p);
        }
    }

    /** {@code /bin/busybox} (0755) plus relative applet links; an existing name is kept with a warning. */
    public void install(Path busybox, StagingRoot root) {
        Path dst = root.resolveParentFollowingCreating("/bin/busybox");
        TempDirs.deleteTree(dst);
        Mappings.copyFile(busybox, dst, 0755);
        Path bin = root.resolveDirectory("/bin");
        for (String applet : APPLETS) {
            Path link = bin.resolve(applet);
            try {
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    log.warn("busybox applet link not created: name exists", "path", "/bin/" + applet);
                    continue;
                }
                Files.createSymbolicLink(link, Path.of("busybox"));
            } catch (IOException e) {
                log.warn("busybox applet link failed", "path", "/bin/" + applet, "error", e.getMessage());
            }
        }
    }
}
