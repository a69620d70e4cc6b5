package io.volant.volantd.deployment;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.vm.PluginTemplates;
import io.volant.volantd.vm.VmConfig;
import java.util.Optional;

/** Deployment templates: the shared plugin resolution plus validation, and the enabled check of replica creation. */
public final class DeploymentConfigs {
    private DeploymentConfigs() {}

    /**
     * The template as {@link PluginTemplates#resolve} makes it (the same resolution as VM creation: 404 for a plugin
     * that is not installed unless its manifest is inline, 409 disabled, runtime and resources defaulted). Not yet
     * validated: {@link io.volant.volantd.vm.VmService#validate} runs the checks of VM creation on it.
     */
    public static VmConfig normalize(VmConfig raw, PluginRegistry plugins) {
        if (raw == null) {
            throw new InvalidArgumentException("config is required");
        }
        return PluginTemplates.resolve(raw, plugins);
    }

    /** 409 {@code plugin <name> disabled} when the template names an installed, disabled plugin. */
    public static void checkEnabled(VmConfig c, PluginRegistry plugins) {
        Optional<Plugin> p = plugins.find(c.plugin());
        if (p.isPresent() && !p.get().enabled()) {
            throw new ConflictException("plugin " + c.plugin() + " disabled");
        }
    }
}
