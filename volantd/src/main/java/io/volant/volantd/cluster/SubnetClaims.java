package io.volant.volantd.cluster;

import io.volant.volantd.config.Subnet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's guest subnet, carved from the cluster's guest range (docs/cluster.md), so guest IPs are unique
 * cluster-wide. The range is stored once in {@code /volant/cluster/subnet-range} (the first node writes its
 * configured one; every node then uses the stored one); each claim is {@code /volant/cluster/subnets/<cidr> = <node>},
 * taken with a create-if-absent transaction, so two nodes never get one subnet, and kept without a lease, so a
 * restarted node gets its own subnet back (its SQLite leases stay valid).
 */
public final class SubnetClaims {
    static final String RANGE = "/volant/cluster/subnet-range";
    static final String SUBNETS = "/volant/cluster/subnets/";
    private static final Logger log = LoggerFactory.getLogger(SubnetClaims.class);

    private SubnetClaims() {}

    /**
     * Returns {@code node}'s subnet of {@code prefix} bits, claiming the lowest free one of the stored range (or of
     * {@code range} when none is stored yet). Throws {@link ClusterStoreException} when the store cannot be reached
     * and {@link IllegalStateException} when the range is full.
     */
    public static Subnet claim(ClusterStore store, String node, Subnet range, int prefix) {
        store.create(RANGE, range.toString(), 0);
        Subnet stored = Subnet.parse(store.scan(RANGE).get(RANGE));
        if (prefix <= stored.prefix() || prefix > 30) {
            throw new IllegalStateException("cluster guest range " + stored + " cannot be carved into /" + prefix
                    + " node subnets");
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Map<String, String> claims = store.scan(SUBNETS);
            for (Map.Entry<String, String> c : claims.entrySet()) {
                if (c.getValue().equals(node)) {
                    return Subnet.parse(c.getKey().substring(SUBNETS.length()).replace('_', '/'));
                }
            }
            long size = 1L << (32 - prefix);
            for (long net = stored.network(); net + size - 1 <= stored.broadcast(); net += size) {
                Subnet candidate = new Subnet(net, prefix);
                if (!claims.containsKey(key(candidate)) && store.create(key(candidate), node, 0)) {
                    log.atInfo().addKeyValue("node", node).addKeyValue("subnet", candidate).log("guest subnet claimed");
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cluster guest range " + stored + " has no free /" + prefix + " subnet left for node "
                + node);
    }

    /** The key of {@code s}: a '/' in a key would read as a path, so the CIDR's slash is written '_'. */
    static String key(Subnet s) {
        return SUBNETS + s.toString().replace('/', '_');
    }
}
