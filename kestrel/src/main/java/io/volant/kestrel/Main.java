package io.volant.kestrel;

import io.volant.kestrel.boot.LibraryManifestDecoder;
import io.volant.kestrel.config.AgentConfig;
import io.volant.kestrel.time.Clock;
import io.volant.manifest.VolantVersion;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the in-guest agent. Exit status is the power-off request to the guest init (plugins-and-guest.md
 * §2.14): 0 after a graceful shutdown (SIGTERM/SIGINT, power button), 1 after a fatal start-up error.
 *
 * <p>Signals: a JVM shutdown hook (no {@code sun.misc.Signal}, so no {@code jdk.unsupported}) runs the shutdown
 * sequence and then {@link Runtime#halt(int) halts} with status 0 — without the halt a JVM ended by SIGTERM would
 * exit 143.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println("kestrel " + VolantVersion.get());
            return;
        }
        System.out.println("kestrel: starting main");
        // §2.8: 120 s to read a request and 120 s idle keep-alive; no response-time limit, so streams may run
        // (K10). The JDK server reads these once, when its first instance is created.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "120"));
        System.setProperty("sun.net.httpserver.idleInterval",
                System.getProperty("sun.net.httpserver.idleInterval", "120"));
        Map<String, String> env = System.getenv();
        Kestrel kestrel = new Kestrel(AgentConfig.fromEnv(env), env, new LibraryManifestDecoder(), Clock.system(),
                System.out, System.err);
        // Registered before start() so a SIGTERM during start-up still stops whatever has been started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kestrel.shutdown();
            Runtime.getRuntime().halt(0);
        }, "kestrel-shutdown"));
        try {
            kestrel.start();
        } catch (Exception e) {
            System.err.println("agent error: " + e.getMessage());
            System.err.flush();
            kestrel.shutdown();
            Runtime.getRuntime().halt(1); // skips the hook, which would report success
        }
        new CountDownLatch(1).await(); // the agent runs until a signal ends the JVM
    }
}
