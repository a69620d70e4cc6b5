package io.volant.volantd.console;

/**
 * Implemented by launchers whose VMs have a captured serial console (host-runtime.md §7.2). The API layer finds the
 * hub with {@code volantd.launcher() instanceof ConsoleProvider p ? p.consoleHub() : null}.
 */
public interface ConsoleProvider {
    ConsoleHub consoleHub();
}
