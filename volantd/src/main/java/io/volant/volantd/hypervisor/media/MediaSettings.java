package io.volant.volantd.hypervisor.media;

import java.nio.file.Path;

/**
 * What staging needs from the configuration (host-runtime.md §1, §3.2, §9.6).
 *
 * @param kernelBzImage   {@code VOLANT_KERNEL_BZIMAGE}; assumed to embed the base initramfs
 * @param kernelVmlinux   {@code VOLANT_KERNEL_VMLINUX}
 * @param guestKernel     {@code VOLANT_GUEST_KERNEL}, null when unset
 * @param moduleArchive   the guest kernel bundle's module archive (newc, gzip) put in front of every initramfs,
 *                        null when the kernel has its drivers built in
 * @param baseInitramfs   {@code VOLANT_BASE_INITRAMFS}, null when unset
 * @param agentImage      {@code VOLANT_AGENT_IMAGE} (or its default location), null when there is none
 */
public record MediaSettings(Path kernelBzImage, Path kernelVmlinux, Path guestKernel, Path moduleArchive,
        Path baseInitramfs, Path agentImage) {}
