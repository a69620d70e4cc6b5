package io.volant.volantd.deployment;

import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigs;
import java.util.Optional;

/** Deployment template normalization (control-plane.md §3.2 step 3 with the Chosen §3.8 item 6). */
public final class DeploymentConfigs {
    private DeploymentConfigs() {}

    /**
     * Normalizes on a copy: embed the installed plugin's manifest when none is inline ({@code plugin <p> not
     * installed}), infer {@code plugin} from the manifest, then default {@code runtime} and missing
     * {@code resources} from the manifest, refuse a disabled plugin (409), validate (400).
     */
    public static VmConfig normalize(VmConfig raw, PluginRegistry plugins) {
        if (raw == null) {
            throw new InvalidArgumentException("config is required");
        }
        VmConfig c = VmConfigs.normalize(raw);
        if (!c.plugin().isEmpty() && c.manifest() == null) {
            String name = c.plugin();
            Plugin p = plugins.find(name)
                    .orElseThrow(() -> new InvalidArgumentException("plugin " + name + " not installed"));
            c = c.withManifest(Manifests.normalize(p.manifest()));
        }
        Manifest m = c.manifest();
        if (c.plugin().isEmpty() && m != null) {
            c = c.withPlugin(m.name());
        }
        if (c.runtime().isEmpty()) {
            c = c.withRuntime(m != null && !m.runtime().isBlank() ? m.runtime() : c.plugin());
        }
        if (m != null) {
            int cpu = c.resources().cpuCores() > 0 ? c.resources().cpuCores() : m.resources().cpuCores();
            int mem = c.resources().memoryMb() > 0 ? c.resources().memoryMb() : m.resources().memoryMb();
            c = c.withResources(new VmConfig.Resources(cpu, mem));
        }
        checkEnabled(c, plugins);
        VmConfigs.validate(c);
        return c;
    }

    /** 409 {@code plugin <name> disabled} when the template names an installed, disabled plugin. */
    public static void checkEnabled(VmConfig c, PluginRegistry plugins) {
        Optional<Plugin> p = plugins.find(c.plugin());
        if (p.isPresent() && !p.get().enabled()) {
            throw new ConflictException("plugin " + c.plugin() + " disabled");
        }
    }
}
