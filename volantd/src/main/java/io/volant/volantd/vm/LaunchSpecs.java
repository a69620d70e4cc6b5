package io.volant.volantd.vm;

import io.volant.manifest.Manifest;
import io.volant.manifest.KernelCmdline;
import io.volant.manifest.ManifestCodec;
import io.volant.manifest.ManifestException;
import io.volant.manifest.RootFs;
import io.volant.volantd.config.HostPort;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.errors.InvalidArgumentException;
import java.util.Map;
import java.util.TreeMap;

/** Pure functions composing kernel command lines and {@code volant.*} arguments (plugins-and-guest.md §1.9). */
public final class LaunchSpecs {
    public static final int CMDLINE_LIMIT = KernelCmdline.DEFAULT_MAX_BYTES;

    private LaunchSpecs() {}

    /** The stored line: base with {@code ip=} (per network mode, plugins-and-guest.md §1.9, G8) plus user extras (§1.7). */
    public static String storedCmdline(String networkMode, String ip, String gateway, String netmask, String vmName,
                                       String extras) {
        String line = KernelCmdline.base(networkMode, ip == null ? "" : ip, gateway, netmask, vmName);
        return extras == null || extras.isBlank() ? line : line + " " + extras.trim();
    }

    /** The guest → volantd endpoint (§1.7), resolved at every launch. */
    public static HostPort guestEndpoint(VmConfig.Api api, VolantdConfig cfg) {
        String host = api.host().trim();
        String port = api.port().trim();
        if (port.equals("0")) {
            port = "";
        }
        HostPort adv = HostPort.split(cfg.apiAdvertise());
        HostPort listen = HostPort.split(cfg.apiListen());
        String defHost = HostPort.routable(adv.host()) ? adv.host() : cfg.hostIp();
        String defPort = adv.port().isEmpty() || adv.port().equals("0") ? listen.port() : adv.port();
        return new HostPort(host.isEmpty() ? defHost : host, port.isEmpty() ? defPort : port);
    }

    /** The {@code volant.*} arguments (§1.6 Args, plugins-and-guest.md §1.9 Chosen). */
    public static Map<String, String> args(VmConfig cfg, Manifest manifest, HostPort endpoint, RootFs rootfs,
                                           String storedCmdline) {
        Map<String, String> a = new TreeMap<>();
        a.put(KernelCmdline.KEY_RUNTIME, cfg.runtime());
        a.put(KernelCmdline.KEY_API_HOST, endpoint.host());
        a.put(KernelCmdline.KEY_API_PORT, endpoint.port());
        if (!cfg.plugin().isBlank()) {
            a.put(KernelCmdline.KEY_PLUGIN, cfg.plugin());
        }
        if (manifest != null) {
            a.put(KernelCmdline.KEY_MANIFEST, ManifestCodec.encodeGuest(manifest));
        }
        a.putAll(KernelCmdline.bootArgs(rootfs, storedCmdline));
        return a;
    }

    /** The full line handed to the kernel must fit: 400 naming length and limit otherwise. */
    public static void checkLength(String storedCmdline, Map<String, String> args) {
        try {
            KernelCmdline.build(storedCmdline, "", args);
        } catch (ManifestException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

}
