package io.volant.hostsetup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory twin of {@link HostCommands}, shipped in main so that every module's tests share it: records each
 * command (argv joined by spaces) and answers success unless a failure was registered for a prefix of it. Thread-safe.
 */
public final class RecordingHostCommands implements HostCommands {
    private final List<String> commands = new ArrayList<>();
    private final Map<String, Result> failures = new LinkedHashMap<>();

    /** Every later command starting with {@code prefix} exits {@code exitCode} with {@code stderr}. */
    public synchronized RecordingHostCommands failOn(String prefix, int exitCode, String stderr) {
        failures.put(prefix, new Result(exitCode, "", stderr));
        return this;
    }

    @Override
    public synchronized Result run(List<String> argv, Duration timeout) {
        String line = String.join(" ", argv);
        commands.add(line);
        for (Map.Entry<String, Result> f : failures.entrySet()) {
            if (line.startsWith(f.getKey())) {
                return f.getValue();
            }
        }
        return new Result(0, "", "");
    }

    /** The commands run so far, in order. */
    public synchronized List<String> commands() {
        return List.copyOf(commands);
    }
}
