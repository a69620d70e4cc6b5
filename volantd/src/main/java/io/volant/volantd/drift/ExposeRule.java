package io.volant.volantd.drift;

/**
 * One {@code config.expose} entry as route computation sees it (control-plane.md §4.1, §9): strings never null.
 *
 * @param port     guest (backend) port
 * @param hostPort host port driftd listens on; ≤ 0 means the rule is skipped
 */
public record ExposeRule(String protocol, int port, int hostPort, String mode) {
    public ExposeRule {
        protocol = protocol == null ? "" : protocol;
        mode = mode == null ? "" : mode;
    }
}
