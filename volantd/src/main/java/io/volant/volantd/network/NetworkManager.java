package io.volant.volantd.network;

import java.util.List;

/** Host networking of VMs (host-runtime.md §4.5): one tap per VM, joined to the bridge. Thread-safe. */
public interface NetworkManager {

    /**
     * Creates the VM's tap and attaches it to the bridge; returns the tap name.
     *
     * @throws NetworkException e.g. {@code tap <tap> is in use by vm <other>}, {@code bridge <b> not present: ...}
     */
    String prepareTap(String vmName, String mac);

    /** Deletes a tap; an absent tap (or the empty name) counts as cleaned. */
    void cleanupTap(String tapName);

    /**
     * The taps this manager's VMs use that exist now ({@link TapNames#PREFIX} names; the bridge manager: members of
     * its bridge), for startup recovery, which removes those no running VM owns.
     *
     * @throws NetworkException when the host cannot be asked
     */
    List<String> listTaps();

    /** The deterministic tap name of a VM (host-runtime.md §4.5 Chosen), used to clean up after a restart. */
    default String tapName(String vmName) {
        return TapNames.of(vmName);
    }
}
