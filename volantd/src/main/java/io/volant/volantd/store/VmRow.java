package io.volant.volantd.store;

import java.time.Instant;

/**
 * A {@code vms} row (control-plane.md §6.3 + migration 9), plus the name of its group.
 *
 * @param ipAddress null when the VM has no host IP
 * @param pid null unless running
 * @param groupId null for standalone VMs
 * @param groupName null for standalone VMs
 * @param groupRevision deployment revision the replica was created from; null for standalone VMs
 */
public record VmRow(long id, String name, String status, Long pid, String ipAddress, String macAddress, int cpuCores,
                    int memoryMb, String kernelCmdline, String runtime, String serialSocket, Long groupId,
                    String groupName, long vsockCid, String desiredState, Integer groupRevision, Instant createdAt,
                    Instant updatedAt) {}
