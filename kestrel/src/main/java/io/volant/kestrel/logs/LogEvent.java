package io.volant.kestrel.logs;

import java.time.Instant;

/**
 * One line of workload output (plugins-and-guest.md §2.9).
 *
 * @param stream {@code stdout} or {@code stderr}
 * @param line the text without its trailing newline
 */
public record LogEvent(String stream, String line, Instant timestamp) {}
