package io.volant.fledge;

import io.volant.fledge.cli.Env;
import io.volant.fledge.util.TempDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run of fledge's AOT cache ({@code scripts/build.sh}): the quick commands and an offline initramfs build
 * (stand-in BusyBox and init written to a temp dir, deleted afterwards) in one JVM, output discarded, so the cache
 * holds what the command line, its help and a build need. Exits 1 if a command failed.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Env system = Env.system();
        Path dir = Files.createTempDirectory("fledge-training-");
        int failures = 0;
        try {
            Map<String, String> vars = new HashMap<>(system.vars());
            vars.put("FLEDGE_TMPDIR", Files.createDirectory(dir.resolve("tmp")).toString());
            vars.put("FLEDGE_INIT_BINARY", script(dir.resolve("init")).toString());
            Path config = offlineProject(dir);
            Env env = new Env(vars, system.cwd(), sink, sink, system.http(), system.runners(), false);
            for (List<String> c : List.of(List.of("--version"), List.of("version"), List.of("--help"),
                    List.of("build", "--help"),
                    List.of("build", "-c", config.toString(), "-o", dir.resolve("out.cpio.gz").toString()))) {
                failures += Main.run(env, c.toArray(String[]::new)) == 0 ? 0 : 1;
            }
        } finally {
            TempDirs.deleteTree(dir);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * {@code dir/fledge.toml}: an initramfs with a stand-in BusyBox ({@code dir/busybox}) and one mapping (the config
     * itself), built without network or external tools. The init comes from {@code FLEDGE_INIT_BINARY}.
     */
    static Path offlineProject(Path dir) throws IOException {
        return Files.writeString(dir.resolve("fledge.toml"), """
                version = "1"
                strategy = "initramfs"
                [source]
                busybox_url = "%s"
                [mappings]
                "fledge.toml" = "/etc/fledge.toml"
                """.formatted(script(dir.resolve("busybox")).toUri()));
    }

    /** A stand-in executable (the build copies it, never runs it). */
    private static Path script(Path p) throws IOException {
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
