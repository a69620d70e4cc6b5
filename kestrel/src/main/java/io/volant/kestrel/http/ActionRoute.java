package io.volant.kestrel.http;

import java.time.Duration;

/**
 * A manifest action served at {@code /v1<path>} (plugins-and-guest.md §2.8).
 *
 * @param method upper-cased; POST when the manifest leaves it empty
 * @param path with a leading {@code /}
 * @param timeout zero means the agent's default timeout
 */
public record ActionRoute(String name, String method, String path, Duration timeout) {}
