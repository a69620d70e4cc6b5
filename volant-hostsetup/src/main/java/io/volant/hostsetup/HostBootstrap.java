package io.volant.hostsetup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes steps 6-8 of host-runtime.md §4.7 idempotently through a {@link HostCommands}: bridge (creation failure
 * ignored so reruns work), address, link up, IPv4 forwarding, and the iptables rules ({@code -C} check, {@code -A}
 * when missing). Used by the executing side of {@code volar setup} and by volantd at startup when
 * {@code VOLANT_HOST_BOOTSTRAP} is true. Forwarding is set with {@code sysctl} through the runner so that, with a
 * network-namespace runner, only that namespace changes.
 */
public final class HostBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(HostBootstrap.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HostCommands runner;

    public HostBootstrap(HostCommands runner) {
        this.runner = runner;
    }

    /**
     * @return the recorded commands of a real run (§4.7 output: the three ip commands, the forwarding line, and the
     *         iptables rules actually added)
     * @throws IllegalStateException {@code run [<argv>]: <err>} or {@code add iptables rule: <err>}
     */
    public List<String> apply(String bridge, String subnet, String hostCidr) {
        List<String> recorded = new ArrayList<>();
        List<List<String>> bridgeCmds = SetupPlan.bridgeCommands(bridge, hostCidr);
        runner.run(bridgeCmds.get(0), TIMEOUT); // exists already on reruns
        recorded.add(String.join(" ", bridgeCmds.get(0)));
        for (List<String> c : bridgeCmds.subList(1, bridgeCmds.size())) {
            must(c, "run [" + String.join(" ", c) + "]");
            recorded.add(String.join(" ", c));
        }
        must(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"), "enable ip forwarding");
        recorded.add("echo '1' > /proc/sys/net/ipv4/ip_forward");
        for (List<String> add : SetupPlan.iptablesRules(bridge, subnet)) {
            List<String> check = new ArrayList<>(add);
            check.set(check.indexOf("-A"), "-C");
            if (runner.run(check, TIMEOUT).ok()) {
                continue;
            }
            must(add, "add iptables rule");
            recorded.add(String.join(" ", add));
        }
        LOG.info("host bootstrap applied bridge={} cidr={} rules_added={}", bridge, hostCidr,
                recorded.size() - 4);
        return recorded;
    }

    private void must(List<String> argv, String what) {
        HostCommands.Result r = runner.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException(what + ": " + (r.stderr().isBlank() ? "exit status " + r.exitCode()
                    : r.stderr().trim()));
        }
    }
}
