package io.volant.volantd.deployment;

import io.volant.volantd.vm.VmConfig;
import java.time.Instant;

/**
 * A deployment as the API shows it (control-plane.md §3.1, api-and-cli.md §1.6).
 *
 * @param readyReplicas members that are running with a live instance (and healthy with EXTENSION C)
 * @param config the normalized template, manifest embedded
 */
public record Deployment(String name, int desiredReplicas, int readyReplicas, VmConfig config, Instant createdAt,
                         Instant updatedAt, int revision, int updatedReplicas) {}
