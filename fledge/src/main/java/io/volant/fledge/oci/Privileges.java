package io.volant.fledge.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may chown and mknod (effective UID 0). */
public final class Privileges {
    private Privileges() {}

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.split("\\s+");
                    return f.length > 2 && f[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
