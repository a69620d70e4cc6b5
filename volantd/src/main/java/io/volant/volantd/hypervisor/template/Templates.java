package io.volant.volantd.hypervisor.template;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File helpers the template backends share. */
public final class Templates {
    private static final Logger LOG = LoggerFactory.getLogger(Templates.class);

    private Templates() {}

    /** Removes every {@code <dir>/<name>.*}; failures are logged. */
    public static void removeFilesOf(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name + ".*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("template file clean-up failed template={} error={}", name, e.getMessage());
        }
    }

    /** {@code path:size:mtime} of a local file (a rebuilt kernel or initramfs changes it), the path when absent. */
    public static String stamp(Path p) {
        try {
            return p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException | RuntimeException e) {
            return String.valueOf(p);
        }
    }
}
