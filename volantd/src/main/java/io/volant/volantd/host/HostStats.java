package io.volant.volantd.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Host CPU and memory use for {@code /api/v1/system/status} (api-and-cli.md §2.2): CPU busy share since the
 * previous call (the first call samples 100 ms), memory from MemTotal/MemAvailable; 0 when unavailable.
 */
public final class HostStats {
    private final Path procStat;
    private final Path procMeminfo;
    private long[] previous;

    public HostStats(Path procStat, Path procMeminfo) {
        this.procStat = procStat;
        this.procMeminfo = procMeminfo;
    }

    public static HostStats linux() {
        return new HostStats(Path.of("/proc/stat"), Path.of("/proc/meminfo"));
    }

    public synchronized double cpuPercent() {
        long[] now = readCpu();
        if (now == null) {
            return 0;
        }
        long[] before = previous;
        if (before == null) {
            try {
                Thread.sleep(100); // first call: one short sample, as the spec says
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            before = now;
            now = readCpu();
            if (now == null) {
                return 0;
            }
        }
        previous = now;
        long total = now[0] - before[0];
        long idle = now[1] - before[1];
        return total <= 0 ? 0 : Math.max(0, Math.min(100, 100.0 * (total - idle) / total));
    }

    public double memPercent() {
        try {
            long total = 0;
            long available = -1;
            for (String line : Files.readAllLines(procMeminfo)) {
                if (line.startsWith("MemTotal:")) {
                    total = kib(line);
                } else if (line.startsWith("MemAvailable:")) {
                    available = kib(line);
                }
            }
            return total <= 0 || available < 0 ? 0 : 100.0 * (total - available) / total;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {total, idle} jiffies of the aggregate cpu line, or null. */
    private long[] readCpu() {
        try {
            List<String> lines = Files.readAllLines(procStat);
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
