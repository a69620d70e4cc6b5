package io.volant.volantd.vm;

import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;
import java.util.Optional;

/**
 * The one resolution of a VM config against its plugin, for VM creation and deployment templates alike:
 * <ol>
 * <li>the plugin is {@code plugin}, else the inline manifest's name; neither → 400 {@code plugin is required};</li>
 * <li>an installed plugin that is disabled → 409 {@code plugin <p> disabled}; a plugin that is not installed → 404
 * {@code plugin <p> not found}, unless the config carries the manifest inline;</li>
 * <li>the manifest is the inline one, else the installed plugin's (normalized); {@code plugin} ← its name when
 * empty;</li>
 * <li>{@code runtime} ← the manifest's runtime, else the plugin name, when empty;</li>
 * <li>missing {@code resources} ← the manifest's, else 2 vCPUs and 2048 MiB.</li>
 * </ol>
 * Validation of the result is the caller's (its messages differ between the VM and deployment APIs).
 */
public final class PluginTemplates {
    static final int DEFAULT_CPUS = 2;
    static final int DEFAULT_MEMORY_MB = 2048;

    private PluginTemplates() {}

    public static VmConfig resolve(VmConfig raw, PluginRegistry plugins) {
        return resolveNormalized(VmConfigs.normalize(raw), plugins);
    }

    /** {@link #resolve} of a config the caller has normalized already (normalization runs once per request). */
    static VmConfig resolveNormalized(VmConfig c, PluginRegistry plugins) {
        Manifest inline = c.manifest();
        String name = !c.plugin().isEmpty() ? c.plugin() : inline != null ? inline.name().trim() : "";
        if (name.isEmpty()) {
            throw new InvalidArgumentException("plugin is required");
        }
        Optional<Plugin> installed = plugins.find(name);
        if (installed.isPresent() && !installed.get().enabled()) {
            throw new ConflictException("plugin " + name + " disabled");
        }
        if (installed.isEmpty() && inline == null) {
            throw new NotFoundException("plugin " + name + " not found");
        }
        Manifest m = inline != null ? inline : Manifests.normalize(installed.get().manifest());
        c = c.withManifest(m).withPlugin(c.plugin().isEmpty() ? (m.name().isBlank() ? name : m.name()) : c.plugin());
        if (c.runtime().isEmpty()) {
            c = c.withRuntime(!m.runtime().isBlank() ? m.runtime().trim() : !m.name().isBlank() ? m.name().trim() : name);
        }
        int cpu = c.resources().cpuCores() != 0 ? c.resources().cpuCores()
                : m.resources().cpuCores() > 0 ? m.resources().cpuCores() : DEFAULT_CPUS;
        int mem = c.resources().memoryMb() != 0 ? c.resources().memoryMb()
                : m.resources().memoryMb() > 0 ? m.resources().memoryMb() : DEFAULT_MEMORY_MB;
        return c.withResources(new VmConfig.Resources(cpu, mem));
    }
}
