package io.volant.volantd.vm;

import io.volant.manifest.Manifest;
import io.volant.manifest.KernelCmdline;
import io.volant.manifest.ManifestCodec;
import io.volant.manifest.RootFs;
import io.volant.volantd.config.HostPort;
import io.volant.volantd.config.VolantdConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure functions composing the {@code volant.*} kernel arguments and the guest's API endpoint (plugins-and-guest.md
 * §1.9); the command line itself is {@link io.volant.volantd.hypervisor.KernelCommandLine}'s.
 */
public final class LaunchSpecs {
    private LaunchSpecs() {}

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
}
