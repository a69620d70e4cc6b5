package io.volant.volantd.testing;

import io.volant.volantd.network.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link CommandRunner} that records every command and answers as if it succeeded, except {@code -C} checks. */
public final class FakeRecorder implements CommandRunner {
    private final List<String> commands = new ArrayList<>();

    @Override
    public synchronized Result run(List<String> argv, Duration timeout) {
        commands.add(String.join(" ", argv));
        boolean ruleCheck = argv.contains("-C");
        return new Result(ruleCheck ? 1 : 0, "", ruleCheck ? "iptables: Bad rule" : "");
    }

    public synchronized List<String> commands() {
        return List.copyOf(commands);
    }
}
