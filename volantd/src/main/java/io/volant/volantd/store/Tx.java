package io.volant.volantd.store;

/**
 * One transaction (or read snapshot) with a repository per table bound to it. Valid only inside the
 * {@link Store#write}/{@link Store#read} callback that received it.
 */
public final class Tx {
    private final Conn conn;
    /** Set by every write to {@code vms} (directly or through a foreign-key action). */
    boolean vmsChanged;
    private VmRepository vms;
    private IpAllocationRepository ips;
    private VmConfigRepository configs;
    private CloudInitRepository cloudInit;
    private GroupRepository groups;
    private PluginRepository plugins;
    private ArtifactRepository artifacts;
    private TemplateRepository templates;

    Tx(Conn conn) {
        this.conn = conn;
    }

    public VmRepository vms() {
        return vms == null ? vms = new VmRepository(conn, this) : vms;
    }

    public IpAllocationRepository ips() {
        return ips == null ? ips = new IpAllocationRepository(conn) : ips;
    }

    public VmConfigRepository configs() {
        return configs == null ? configs = new VmConfigRepository(conn) : configs;
    }

    public CloudInitRepository cloudInit() {
        return cloudInit == null ? cloudInit = new CloudInitRepository(conn) : cloudInit;
    }

    public GroupRepository groups() {
        return groups == null ? groups = new GroupRepository(conn, this) : groups;
    }

    public PluginRepository plugins() {
        return plugins == null ? plugins = new PluginRepository(conn) : plugins;
    }

    public TemplateRepository templates() {
        return templates == null ? templates = new TemplateRepository(conn) : templates;
    }

    public ArtifactRepository artifacts() {
        return artifacts == null ? artifacts = new ArtifactRepository(conn) : artifacts;
    }
}
