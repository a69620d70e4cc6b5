package io.volant.volantd.vm;

/**
 * Body of {@code POST /api/v1/vms} (api-and-cli.md §2.3.2). The service performs the request-level resolution
 * (plugin lookup, runtime, resource defaults from the manifest, G16) so the handler only decodes.
 *
 * @param cpuCores 0 = not given
 * @param memoryMb 0 = not given
 * @param config null when absent
 */
public record CreateVmRequest(String name, String plugin, String runtime, int cpuCores, int memoryMb,
                              String kernelCmdline, String apiHost, String apiPort, VmConfig config) {
    public CreateVmRequest {
        name = name == null ? "" : name;
        plugin = plugin == null ? "" : plugin;
        runtime = runtime == null ? "" : runtime;
        kernelCmdline = kernelCmdline == null ? "" : kernelCmdline;
        apiHost = apiHost == null ? "" : apiHost;
        apiPort = apiPort == null ? "" : apiPort;
    }

    /** A request naming only the VM and its plugin (resources from the manifest). */
    public static CreateVmRequest of(String name, String plugin) {
        return new CreateVmRequest(name, plugin, "", 0, 0, "", "", "", null);
    }
}
