package io.volant.volantd.vm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import java.time.Instant;

/**
 * A VM as the API shows it (control-plane.md §1.2, api-and-cli.md §1.6).
 *
 * @param ipAddress "" when the VM has no host-managed address (vsock/dhcp)
 * @param pid null unless a hypervisor runs
 * @param vsockCid 0 only for legacy rows
 * @param deployment group name, null for standalone VMs
 * @param createdAt null in the create response (upstream returns the in-memory copy)
 * @param desiredState {@code running} or {@code stopped} (EXTENSION B); not in the JSON
 * @param ready EXTENSION C verdict for probed VMs, null when not probed
 */
public record Vm(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("status") VmStatus status,
        @JsonProperty("runtime") String runtime,
        @JsonProperty("pid") @JsonInclude(JsonInclude.Include.NON_NULL) Long pid,
        @JsonProperty("ip_address") String ipAddress,
        @JsonProperty("mac_address") String macAddress,
        @JsonProperty("vsock_cid") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long vsockCid,
        @JsonProperty("cpu_cores") int cpuCores,
        @JsonProperty("memory_mb") int memoryMb,
        @JsonProperty("kernel_cmdline") String kernelCmdline,
        @JsonProperty("serial_socket") String serialSocket,
        @JsonProperty("deployment") @JsonInclude(JsonInclude.Include.NON_NULL) String deployment,
        @JsonProperty("created_at") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = InstantJson.class) Instant createdAt,
        @JsonProperty("updated_at") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = InstantJson.class) Instant updatedAt,
        @JsonIgnore String desiredState,
        @JsonProperty("ready") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean ready) {}
