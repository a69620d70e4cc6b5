package io.volant.volantd.hypervisor.template;

/**
 * What makes a clone itself (docs/templates.md, identity channel): the kernel command line a cold boot of the clone
 * would have had (without {@code volant.template}), its MAC and hostname. The channel adds the wall clock and fresh
 * entropy when it sends.
 */
public record Identity(String cmdline, String mac, String hostname) {}
