package io.volant.volantd.network.nft;

import io.volant.volantd.network.CommandRunner;
import io.volant.volantd.network.NetworkException;
import io.volant.volantd.network.PortForwarding;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PortForwarding} on nftables through volantd's {@link CommandRunner} (so with {@code VOLANT_NETNS} the table,
 * the sysctl and the listener check all live in that namespace). Each {@link #replace} is one {@code nft -f -}
 * transaction of {@link NftRuleset#replace}. Thread-safe.
 */
public final class NftPortForwarding implements PortForwarding {
    private static final Logger log = LoggerFactory.getLogger(NftPortForwarding.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern USER = Pattern.compile("users:\\(\\(\"([^\"]*)\",pid=(\\d+)");

    private final CommandRunner runner;
    private final String bridge;
    private final String subnet;
    private List<Forward> current = List.of();
    private boolean localnet;

    /**
     * @param bridge the VM bridge: loopback clients are routed out of it, which needs its {@code route_localnet}
     * @param subnet the VM subnet (CIDR), for the hairpin masquerade
     */
    public NftPortForwarding(CommandRunner runner, String bridge, String subnet) {
        this.runner = runner;
        this.bridge = bridge;
        this.subnet = subnet;
    }

    @Override
    public synchronized void replace(List<Forward> forwards) {
        allowLoopbackClients();
        CommandRunner.Result r = runner.run(List.of("nft", "-f", "-"), NftRuleset.replace(forwards, subnet), TIMEOUT);
        if (!r.ok()) {
            throw new NetworkException("nft: apply published ports: " + r.stderr().strip());
        }
        current = List.copyOf(forwards);
    }

    /**
     * A packet from 127.0.0.1 DNATed to a VM must leave through the bridge, which the kernel refuses unless the
     * outgoing device has {@code route_localnet} (postrouting then masquerades it to the bridge address). Only the
     * bridge gets it, never {@code all}. Retried on each replacement until the bridge exists.
     */
    private void allowLoopbackClients() {
        if (localnet) {
            return;
        }
        CommandRunner.Result r = runner.run(List.of("sysctl", "-w", "net.ipv4.conf." + bridge + ".route_localnet=1"),
                TIMEOUT);
        if (r.ok()) {
            localnet = true;
        } else {
            log.warn("route_localnet not set, loopback clients cannot reach published ports yet bridge={} error={}",
                    bridge, r.stderr().strip());
        }
    }

    @Override
    public synchronized void remove() {
        try {
            CommandRunner.Result r = runner.run(List.of("nft", "-f", "-"), NftRuleset.removal(), TIMEOUT);
            if (!r.ok()) {
                log.warn("nft table removal failed table=\"{}\" error={}", NftRuleset.TABLE, r.stderr().strip());
                return;
            }
            current = List.of();
        } catch (RuntimeException e) {
            log.warn("nft table removal failed table=\"{}\" error={}", NftRuleset.TABLE, e.getMessage());
        }
    }

    @Override
    public Optional<String> listener(String protocol, int port) {
        CommandRunner.Result r = runner.run(List.of("ss", "-H", "-l", "-n", "-p", "udp".equals(protocol) ? "-u" : "-t",
                "sport", "=", ":" + port), TIMEOUT);
        if (!r.ok()) {
            throw new NetworkException("ss: list listeners on " + protocol + "/" + port + ": " + r.stderr().strip());
        }
        String out = r.stdout().strip();
        if (out.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = USER.matcher(out);
        return Optional.of(m.find() ? m.group(1) + " (pid " + m.group(2) + ")" : "another process");
    }

    @Override
    public synchronized List<Forward> current() {
        return current;
    }
}
