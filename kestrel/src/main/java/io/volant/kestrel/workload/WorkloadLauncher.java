package io.volant.kestrel.workload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts workload processes: the one external effect of the supervisor. */
public interface WorkloadLauncher {
    /**
     * Starts {@code argv} (argv[0] already resolved to a path) with exactly {@code env} in {@code workdir}, stdin from
     * {@code /dev/null}, stdout and stderr captured as log lines.
     *
     * @throws IOException when the program cannot be started
     */
    WorkloadProcess launch(List<String> argv, Map<String, String> env, Path workdir) throws IOException;
}
