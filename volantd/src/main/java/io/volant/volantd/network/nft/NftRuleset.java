package io.volant.volantd.network.nft;

import io.volant.volantd.network.PortForwarding.Forward;
import java.util.List;

/**
 * The nftables text of volantd's published ports, a pure function (docs/publishing.md). One table, {@code ip volant},
 * replaced whole in one transaction: {@code add table} + {@code delete table} + the new table, which {@code nft -f}
 * applies atomically (a half-written table never exists, and a table left by a crashed volantd is simply replaced).
 *
 * <ul>
 *   <li>{@code prerouting} (connections from other hosts) and {@code output} (from the host itself, loopback
 *       included) jump to {@code published} for packets addressed to one of the host's own addresses;</li>
 *   <li>{@code published} holds one DNAT rule per host port: one backend directly, several through
 *       {@code numgen inc mod N}, so each new connection goes to the next backend (conntrack keeps a connection on
 *       its backend);</li>
 *   <li>{@code postrouting} masquerades the two cases whose replies would otherwise bypass the host: a loopback
 *       client (source 127.0.0.0/8 may not leave the host) and a VM reaching a published port that lands on a VM
 *       of the same subnet (hairpin).</li>
 * </ul>
 */
public final class NftRuleset {
    /** The family and name of the table volantd owns; nothing else in the ruleset is touched. */
    public static final String TABLE = "ip volant";

    private NftRuleset() {}

    /**
     * The transaction that makes the table hold exactly {@code forwards}.
     *
     * @param subnet the VM subnet in CIDR form, for the hairpin rule
     */
    public static String replace(List<Forward> forwards, String subnet) {
        StringBuilder b = new StringBuilder();
        b.append("add table ").append(TABLE).append('\n');
        b.append("delete table ").append(TABLE).append('\n');
        b.append("table ").append(TABLE).append(" {\n");
        b.append("\tchain prerouting {\n");
        b.append("\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
        b.append("\t\tfib daddr type local jump published\n");
        b.append("\t}\n");
        b.append("\tchain output {\n");
        b.append("\t\ttype nat hook output priority -100; policy accept;\n");
        b.append("\t\tfib daddr type local jump published\n");
        b.append("\t}\n");
        b.append("\tchain postrouting {\n");
        b.append("\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        b.append("\t\tct status dnat ip saddr 127.0.0.0/8 masquerade\n");
        b.append("\t\tct status dnat ip saddr ").append(subnet).append(" ip daddr ").append(subnet)
                .append(" masquerade\n");
        b.append("\t}\n");
        b.append("\tchain published {\n");
        for (Forward f : forwards) {
            b.append("\t\t").append(rule(f)).append('\n');
        }
        b.append("\t}\n");
        b.append("}\n");
        return b.toString();
    }

    /** The transaction that removes the table (an absent table is created first, so removal never fails on it). */
    public static String removal() {
        return "add table " + TABLE + "\ndelete table " + TABLE + "\n";
    }

    /** {@code tcp dport 8080 dnat to numgen inc mod 2 map { 0 : 10.0.0.2, 1 : 10.0.0.3 } : 80 comment "..."}. */
    static String rule(Forward f) {
        StringBuilder b = new StringBuilder();
        b.append(f.protocol()).append(" dport ").append(f.hostPort()).append(" dnat to ");
        List<String> ips = f.backends();
        if (ips.size() == 1) {
            b.append(ips.getFirst());
        } else {
            b.append("numgen inc mod ").append(ips.size()).append(" map { ");
            for (int i = 0; i < ips.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(i).append(" : ").append(ips.get(i));
            }
            b.append(" }");
        }
        b.append(" : ").append(f.port());
        b.append(" comment \"").append(f.owner().replaceAll("[^A-Za-z0-9 ._-]", "")).append('"');
        return b.toString();
    }
}
