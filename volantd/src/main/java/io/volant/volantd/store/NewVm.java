package io.volant.volantd.store;

/** Values of a VM row to insert. {@code ipAddress} null = none. */
public record NewVm(String name, String status, String ipAddress, String macAddress, int cpuCores, int memoryMb,
                    String kernelCmdline, String runtime, Long groupId, Integer groupRevision, long vsockCid,
                    String desiredState) {}
