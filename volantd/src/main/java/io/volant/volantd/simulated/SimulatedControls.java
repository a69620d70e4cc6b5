package io.volant.volantd.simulated;

import io.volant.volantd.errors.NotFoundException;

/**
 * Test controls of the simulated backend (host-runtime.md §9.8), served under {@code /api/v1/simulated/} only when
 * {@link #present()}. Failures are the spec's 404/409 errors.
 */
public interface SimulatedControls {

    boolean present();

    /** The VM's instance exits now with {@code code}, or by {@code signal} ({@code KILL}/{@code TERM}) when set. */
    void exit(String vmName, int code, String signal);

    /** From now on the agent stub's {@code /healthz} reports healthy or failed with {@code status}. */
    void setHealth(String vmName, boolean healthy, int status);

    /** The next {@code count} launches (of {@code vmName} when not blank) fail. */
    void failLaunches(int count, String vmName);

    /** The next {@code count} suspends (of {@code vmName} when not blank) fail; the VM keeps running. */
    void failSuspends(int count, String vmName);

    static SimulatedControls absent() {
        return new SimulatedControls() {
            @Override
            public boolean present() {
                return false;
            }

            @Override
            public void exit(String vmName, int code, String signal) {
                throw new NotFoundException("not found");
            }

            @Override
            public void setHealth(String vmName, boolean healthy, int status) {
                throw new NotFoundException("not found");
            }

            @Override
            public void failLaunches(int count, String vmName) {
                throw new NotFoundException("not found");
            }

            @Override
            public void failSuspends(int count, String vmName) {
                throw new NotFoundException("not found");
            }
        };
    }
}
