package io.volant.volantd.vm;

import java.util.List;

/**
 * Checks the {@code expose} rules a VM or deployment is about to store against the host ports others publish
 * (docs/publishing.md), so the config routes refuse a taken port with the same 409 as the expose routes. Called
 * before the owner's lock is taken.
 */
@FunctionalInterface
public interface ExposeGuard {
    ExposeGuard NONE = (kind, name, rules) -> {};

    /**
     * @param kind {@code vm} or {@code deployment}
     * @throws io.volant.volantd.errors.ConflictException a rule's host port is published by another owner or bound
     *                                                    by another process
     */
    void check(String kind, String name, List<VmConfig.Expose> rules);
}
