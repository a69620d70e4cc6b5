package io.volant.volantd.store;

/** A {@code vm_cloudinit} row: the last seed built for a VM. */
public record CloudInitRow(long vmId, String userData, String metaData, String networkConfig, String seedPath) {}
