package io.volant.volantd.vm;

import io.volant.manifest.CloudInit;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.plugin.PluginRegistry;

/**
 * What a create request becomes before anything is written: the request resolved against its plugin
 * (api-and-cli.md §2.3.2) and the engine's own checks (control-plane.md §2.2). Pure apart from the registry lookup.
 */
final class VmCreation {
    private VmCreation() {}

    /**
     * Request fields fill what the config leaves empty, then {@link PluginTemplates#resolve} (the resolution shared
     * with deployment templates) adds the manifest and its defaults.
     */
    static VmConfig resolve(CreateVmRequest r, PluginRegistry plugins) {
        String plugin = r.plugin().trim();
        VmConfig base = r.config() == null ? VmConfig.of("", 0, 0) : VmConfigs.normalize(r.config());
        if (!base.plugin().isEmpty() && !plugin.isEmpty() && !plugin.equalsIgnoreCase(base.plugin())) {
            throw new InvalidArgumentException("plugin mismatch between request and config");
        }
        if (base.plugin().isEmpty() && !plugin.isEmpty()) {
            base = base.withPlugin(plugin);
        }
        int cpu = base.resources().cpuCores() > 0 ? base.resources().cpuCores() : Math.max(r.cpuCores(), 0);
        int mem = base.resources().memoryMb() > 0 ? base.resources().memoryMb() : Math.max(r.memoryMb(), 0);
        base = base.withRuntime(first(base.runtime(), r.runtime().trim())).withResources(new VmConfig.Resources(cpu, mem))
                .withKernelCmdline(first(base.kernelCmdline(), r.kernelCmdline().trim()))
                .withApi(new VmConfig.Api(first(base.api().host(), r.apiHost().trim()), first(base.api().port(), r.apiPort().trim())));
        return PluginTemplates.resolveNormalized(base, plugins);
    }

    /** The engine's checks; returns the config to store (manifest and config cloud-init merged). */
    static VmConfig checked(VmConfig config) {
        if (config.resources().cpuCores() <= 0) {
            throw new InvalidArgumentException("orchestrator: cpu cores must be > 0");
        }
        if (config.resources().memoryMb() <= 0) {
            throw new InvalidArgumentException("orchestrator: memory must be > 0");
        }
        if (config.runtime().isBlank()) {
            throw new InvalidArgumentException("orchestrator: runtime required");
        }
        String mr = config.manifest() == null ? "" : config.manifest().runtime();
        if (!mr.isBlank() && !mr.equals(config.runtime())) {
            throw new InvalidArgumentException("orchestrator: runtime mismatch between request (" + config.runtime()
                    + ") and manifest (" + mr + ")");
        }
        VmConfigs.validate(config);
        CloudInit ci = VmConfigs.mergeCloudInit(config.manifest().cloudInit(), config.cloudInit());
        if (ci != null) {
            try {
                VmConfigs.validateCloudInit(ci, "cloud_init");
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("cloud-init validate: " + e.getMessage());
            }
        }
        return ci == null ? config : config.withCloudInit(ci);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }
}
