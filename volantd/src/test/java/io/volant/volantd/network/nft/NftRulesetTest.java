package io.volant.volantd.network.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.network.CommandRunner;
import io.volant.volantd.network.NetworkException;
import io.volant.volantd.network.PortForwarding.Forward;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated nftables transaction and how {@link NftPortForwarding} runs it through the command runner. */
class NftRulesetTest {
    private static final String SUBNET = "192.168.127.0/24";

    private static final Forward WEB = new Forward("tcp", 8080, List.of("192.168.127.2", "192.168.127.3",
            "192.168.127.4"), 80, "deployment web");
    private static final Forward API = new Forward("tcp", 9090, List.of("192.168.127.7", "192.168.127.8"), 8000,
            "deployment api");
    private static final Forward DNS = new Forward("udp", 5353, List.of("192.168.127.9"), 53, "vm dns");

    @Test
    void a_transaction_replaces_the_whole_table_with_tcp_and_udp_rules_of_several_owners() {
        assertThat(NftRuleset.replace(List.of(WEB, API, DNS), SUBNET)).isEqualTo("""
                add table ip volant
                delete table ip volant
                table ip volant {
                \tchain prerouting {
                \t\ttype nat hook prerouting priority dstnat; policy accept;
                \t\tfib daddr type local jump published
                \t}
                \tchain output {
                \t\ttype nat hook output priority -100; policy accept;
                \t\tfib daddr type local jump published
                \t}
                \tchain postrouting {
                \t\ttype nat hook postrouting priority srcnat; policy accept;
                \t\tct status dnat ip saddr 127.0.0.0/8 masquerade
                \t\tct status dnat ip saddr 192.168.127.0/24 ip daddr 192.168.127.0/24 masquerade
                \t}
                \tchain published {
                \t\ttcp dport 8080 dnat to numgen inc mod 3 map { 0 : 192.168.127.2, 1 : 192.168.127.3, 2 : 192.168.127.4 } : 80 comment "deployment web"
                \t\ttcp dport 9090 dnat to numgen inc mod 2 map { 0 : 192.168.127.7, 1 : 192.168.127.8 } : 8000 comment "deployment api"
                \t\tudp dport 5353 dnat to 192.168.127.9 : 53 comment "vm dns"
                \t}
                }
                """);
    }

    @Test
    void an_empty_set_keeps_an_empty_table_and_removal_never_fails_on_an_absent_table() {
        assertThat(NftRuleset.replace(List.of(), SUBNET)).contains("\tchain published {\n\t}\n");
        assertThat(NftRuleset.removal()).isEqualTo("add table ip volant\ndelete table ip volant\n");
    }

    @Test
    void a_comment_cannot_break_out_of_its_quotes() {
        Forward odd = new Forward("tcp", 1, List.of("10.0.0.2"), 2, "vm a\"; flush ruleset; \"");
        assertThat(NftRuleset.rule(odd)).endsWith("comment \"vm a flush ruleset \"");
    }

    @Test
    void a_forward_needs_a_backend() {
        assertThatThrownBy(() -> new Forward("tcp", 8080, List.of(), 80, "deployment web"))
                .hasMessage("forward tcp/8080 has no backend");
    }

    /** Records argv and standard input; fails {@code nft} while {@code failNft} is set. */
    static final class Recorder implements CommandRunner {
        final List<String> commands = new ArrayList<>();
        final List<String> inputs = new ArrayList<>();
        String failNft;
        String ssOutput = "";

        @Override
        public Result run(List<String> argv, Duration timeout) {
            return run(argv, "", timeout);
        }

        @Override
        public Result run(List<String> argv, String stdin, Duration timeout) {
            commands.add(String.join(" ", argv));
            inputs.add(stdin);
            if (argv.getFirst().equals("nft") && failNft != null) {
                return new Result(1, "", failNft);
            }
            return new Result(0, argv.getFirst().equals("ss") ? ssOutput : "", "");
        }
    }

    @Test
    void replace_is_one_nft_transaction_fed_on_standard_input_after_route_localnet_on_the_bridge() {
        Recorder r = new Recorder();
        NftPortForwarding f = new NftPortForwarding(r, "vbr0", SUBNET);
        f.replace(List.of(WEB));
        f.replace(List.of(WEB, DNS));
        assertThat(r.commands).containsExactly("sysctl -w net.ipv4.conf.vbr0.route_localnet=1", "nft -f -",
                "nft -f -");
        assertThat(r.inputs.get(2)).isEqualTo(NftRuleset.replace(List.of(WEB, DNS), SUBNET));
        assertThat(f.current()).containsExactly(WEB, DNS);
    }

    @Test
    void a_failed_transaction_keeps_the_previous_set_and_says_why() {
        Recorder r = new Recorder();
        NftPortForwarding f = new NftPortForwarding(r, "vbr0", SUBNET);
        f.replace(List.of(WEB));
        r.failNft = "Error: Could not process rule: No such file or directory";
        assertThatThrownBy(() -> f.replace(List.of(DNS))).isInstanceOf(NetworkException.class)
                .hasMessage("nft: apply published ports: Error: Could not process rule: No such file or directory");
        assertThat(f.current()).containsExactly(WEB);
        r.failNft = null;
        f.remove();
        assertThat(r.inputs.getLast()).isEqualTo(NftRuleset.removal());
        assertThat(f.current()).isEmpty();
    }

    @Test
    void the_listener_check_names_the_process_from_ss() {
        Recorder r = new Recorder();
        NftPortForwarding f = new NftPortForwarding(r, "vbr0", SUBNET);
        assertThat(f.listener("tcp", 8080)).isEmpty();
        r.ssOutput = "LISTEN 0      5            0.0.0.0:8080      0.0.0.0:*    users:((\"python3\",pid=4242,fd=3))\n";
        assertThat(f.listener("tcp", 8080)).contains("python3 (pid 4242)");
        r.ssOutput = "UNCONN 0      0            0.0.0.0:5353      0.0.0.0:*\n";
        assertThat(f.listener("udp", 5353)).contains("another process");
        assertThat(r.commands).contains("ss -H -l -n -p -t sport = :8080", "ss -H -l -n -p -u sport = :5353");
    }
}
