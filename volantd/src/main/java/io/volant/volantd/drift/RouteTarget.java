package io.volant.volantd.drift;

/**
 * The VM a set of routes points at.
 *
 * @param ip          host-known IPv4, "" when none (vsock, dhcp)
 * @param cid         vsock context id, 0 when none
 * @param networkMode effective network mode (control-plane.md §2.11), "" when none
 */
public record RouteTarget(String name, String ip, long cid, String networkMode) {
    public RouteTarget {
        ip = ip == null ? "" : ip;
        networkMode = networkMode == null ? "" : networkMode;
    }
}
