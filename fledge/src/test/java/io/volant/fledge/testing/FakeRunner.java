package io.volant.fledge.testing;

import io.volant.fledge.util.CommandRunner;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.ProcessCommandRunner;
import io.volant.fledge.util.TempDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Twin of the process boundary: runs real programs through {@link ProcessCommandRunner} but can hide programs
 * ("not installed") and park a named program until released or the build is aborted (interrupt tests). Records argv.
 */
public final class FakeRunner {
    public final Set<String> hidden = new HashSet<>();
    public final List<List<String>> calls = new ArrayList<>();
    public final AtomicReference<TempDirs> temps = new AtomicReference<>();
    public final CountDownLatch blocked = new CountDownLatch(1);
    public final CountDownLatch release = new CountDownLatch(1);
    public String blockOn = "";

    public CommandRunner create(TempDirs t, Log log) {
        temps.set(t);
        CommandRunner real = new ProcessCommandRunner(t, log);
        return new CommandRunner() {
            @Override
            public Result run(List<String> argv, Path dir, Map<String, String> env) {
                synchronized (calls) {
                    calls.add(List.copyOf(argv));
                }
                if (argv.getFirst().equals(blockOn)) {
                    blocked.countDown();
                    try {
                        while (!release.await(50, TimeUnit.MILLISECONDS)) {
                            t.checkAborted();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    t.checkAborted();
                }
                return real.run(argv, dir, env);
            }

            @Override
            public boolean available(String program) {
                return !hidden.contains(program) && real.available(program);
            }
        };
    }
}
