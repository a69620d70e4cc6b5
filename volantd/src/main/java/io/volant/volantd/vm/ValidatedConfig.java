package io.volant.volantd.vm;

/**
 * A VM config that passed every check of VM creation (the engine's checks, cloud-init, the per-VM limits), with the
 * manifest's and the config's cloud-init merged: what a VM row stores. Only {@link VmService#validate} makes one, so
 * a replica created from it is not checked again.
 */
public final class ValidatedConfig {
    private final VmConfig config;

    ValidatedConfig(VmConfig config) {
        this.config = config;
    }

    public VmConfig config() {
        return config;
    }
}
