package io.volant.kestrel.workload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The workload's environment and program lookup (plugins-and-guest.md §2.6; K9). Pure functions. */
public final class WorkloadEnvironment {
    /** Entries every workload PATH contains, in this order when missing. */
    static final List<String> REQUIRED_PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");

    private WorkloadEnvironment() {}

    /**
     * kestrel's environment with {@code PATH} ensured to contain {@link #REQUIRED_PATH} (existing entries kept in
     * order, duplicates and empty segments dropped, missing ones appended), then the manifest's entries, which win.
     */
    public static Map<String, String> build(Map<String, String> agentEnv, Map<String, String> manifestEnv) {
        Map<String, String> env = new LinkedHashMap<>(agentEnv);
        env.put("PATH", ensurePath(agentEnv.getOrDefault("PATH", "")));
        env.putAll(manifestEnv);
        return env;
    }

    static String ensurePath(String path) {
        Set<String> parts = new LinkedHashSet<>();
        for (String p : path.split(":")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        parts.addAll(REQUIRED_PATH);
        return String.join(":", parts);
    }

    /**
     * Resolves argv[0]: a name containing {@code /} is used as given; a bare name is looked up in the workload's own
     * {@code PATH} (not kestrel's, K9).
     */
    public static Optional<String> resolveProgram(String program, String path, Predicate<Path> isExecutable) {
        if (program.contains("/")) {
            return Optional.of(program);
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (isExecutable.test(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** The real executable test: a regular file with an execute permission for us. */
    public static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    /** argv with argv[0] resolved against {@code env}'s PATH; empty when the program cannot be found. */
    public static Optional<List<String>> resolveArgv(List<String> entrypoint, Map<String, String> env,
                                                     Predicate<Path> isExecutable) {
        return resolveProgram(entrypoint.getFirst(), env.getOrDefault("PATH", ""), isExecutable).map(p -> {
            List<String> argv = new ArrayList<>(entrypoint);
            argv.set(0, p);
            return argv;
        });
    }
}
