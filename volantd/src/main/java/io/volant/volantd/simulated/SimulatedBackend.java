package io.volant.volantd.simulated;

import io.volant.volantd.console.ConsoleAccess;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.vm.VmService;

/**
 * Adapts the core's {@link SimulatedLauncher} to the API: its test controls (host-runtime.md §9.8) and its serial
 * console ({@link SimulatedConsole}); its agent stub is {@link SimulatedAgent}.
 */
public final class SimulatedBackend implements SimulatedControls {
    private final SimulatedLauncher launcher;
    private final VmService vms;
    private final ConsoleAccess console;

    public SimulatedBackend(SimulatedLauncher launcher, VmService vms) {
        this.launcher = launcher;
        this.vms = vms;
        this.console = new SimulatedConsole(launcher);
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public void exit(String vmName, int code, String signal) {
        known(vmName);
        if (signal.isBlank()) {
            launcher.exit(vmName, code);
        } else {
            launcher.kill(vmName, signal);
        }
    }

    @Override
    public void setHealth(String vmName, boolean healthy, int status) {
        known(vmName);
        launcher.setHealth(vmName, healthy, status);
    }

    @Override
    public void failLaunches(int count, String vmName) {
        launcher.failNextLaunches(count, vmName);
    }

    @Override
    public void failSuspends(int count, String vmName) {
        launcher.failNextSuspends(count, vmName);
    }

    /** The serial console of simulated instances. */
    public ConsoleAccess console() {
        return console;
    }

    private void known(String vmName) {
        if (vms.find(vmName).isEmpty()) {
            throw new NotFoundException("vm not found");
        }
    }
}
