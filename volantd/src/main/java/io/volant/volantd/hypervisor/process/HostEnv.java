package io.volant.volantd.hypervisor.process;

import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.hypervisor.media.MediaStager;
import java.nio.file.Path;

/**
 * What the real launchers share.
 *
 * @param runtimeDir {@code <R>}
 * @param logDir     {@code <L>}
 * @param netns      network namespace the hypervisor runs in ("" = volantd's own; see docs/operations.md)
 * @param stager     boot media staging
 * @param console    the console hub that captures every VM's serial socket
 */
public record HostEnv(Path runtimeDir, Path logDir, String netns, MediaStager stager, ConsoleHub console) {}
