package io.volant.volar.console;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Raw mode through {@code stty} on {@code /dev/tty}: the JDK has no termios API, and stty is present wherever a
 * console is usable. The saved {@code stty -g} state is restored on exit, also from a shutdown hook.
 */
public final class SttyTerminal implements Terminal {
    private static final File TTY = new File("/dev/tty");

    @Override
    public boolean isInteractive() {
        return System.console() != null && System.console().isTerminal() && TTY.canRead();
    }

    @Override
    public Runnable enterRawMode() {
        String saved = stty("-g").trim();
        stty("raw", "-echo");
        Thread hook = new Thread(() -> stty(saved));
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            stty(saved);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook restores the mode
            }
        };
    }

    private static String stty(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("stty"));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(TTY))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("stty " + String.join(" ", args) + ": " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("stty: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stty interrupted", e);
        }
    }
}
