package io.volant.fledge.agent;

import java.nio.file.Path;

/**
 * What agent sourcing produced: a single executable (installed as {@code /bin/kestrel}) or an agent bundle
 * directory (jlink runtime + kestrel, installed at {@link AgentInstaller#BUNDLE_GUEST_DIR}).
 */
public record SourcedAgent(Path path, boolean bundle) {}
