package io.volant.volantd.publish;

import io.volant.volantd.network.PortForwarding.Forward;
import io.volant.volantd.vm.VmConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What should be published, a pure function of the owners' {@code expose} rules and their ready VMs
 * (docs/publishing.md). Owners are taken oldest first; a {@code <protocol>/<host_port>} belongs to the first owner
 * that claims it, later claims are {@code conflict}s (the API refuses them with 409, but a config written through
 * another route can still carry one, and the older publication must keep working).
 */
public final class PublishPlan {
    /** Modes the kernel NAT can forward: the VM has a host-known IPv4 on the bridge. */
    private static final Set<String> FORWARDABLE = Set.of("", "bridged", "bridge");

    private final List<Publication> publications;

    private PublishPlan(List<Publication> publications) {
        this.publications = List.copyOf(publications);
    }

    /**
     * One VM or deployment with its rules.
     *
     * @param since    creation time: the older owner wins a host port
     * @param backends VMs ready to take connections now (running; deployment members also healthy)
     */
    public record Owner(String kind, String name, Instant since, List<VmConfig.Expose> rules,
                        List<Publication.Backend> backends) {
        public Owner {
            rules = List.copyOf(rules);
            backends = List.copyOf(backends);
        }
    }

    /** Computes the plan; {@code viaDrift} marks every publication as driftd's (nothing for the kernel NAT). */
    public static PublishPlan of(List<Owner> owners, boolean viaDrift) {
        List<Owner> ordered = new ArrayList<>(owners);
        ordered.sort(Comparator.comparing(Owner::since, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Owner::kind).thenComparing(Owner::name));
        Map<String, String> holders = new HashMap<>();
        List<Publication> out = new ArrayList<>();
        for (Owner o : ordered) {
            for (VmConfig.Expose rule : o.rules()) {
                if (rule.hostPort() <= 0) {
                    continue; // a rule without host port is guest-side documentation only
                }
                String protocol = protocol(rule.protocol());
                String key = protocol + "/" + rule.hostPort();
                String label = o.kind() + " " + o.name();
                String holder = holders.putIfAbsent(key, label);
                String state;
                String detail = "";
                List<Publication.Backend> backends = List.of();
                if (holder != null) {
                    state = "conflict";
                    detail = "host port " + key + " is published by " + holder;
                } else if (!FORWARDABLE.contains(rule.mode().trim().toLowerCase(Locale.ROOT))) {
                    state = "unsupported";
                    detail = "expose mode \"" + rule.mode() + "\" needs driftd";
                } else if (viaDrift) {
                    state = "driftd";
                } else {
                    backends = o.backends();
                    state = backends.isEmpty() ? "waiting" : "active";
                }
                out.add(new Publication(o.kind(), o.name(), protocol, rule.hostPort(), rule.port(), state, detail,
                        backends));
            }
        }
        out.sort(Comparator.comparing(Publication::hostPort).thenComparing(Publication::protocol)
                .thenComparing(Publication::kind).thenComparing(Publication::owner));
        return new PublishPlan(out);
    }

    /** {@code tcp} unless the rule says {@code udp} (validation rejects anything else). */
    static String protocol(String p) {
        String v = p == null ? "" : p.trim().toLowerCase(Locale.ROOT);
        return v.isEmpty() ? "tcp" : v;
    }

    public static PublishPlan empty() {
        return new PublishPlan(List.of());
    }

    /** Every publication, by host port. */
    public List<Publication> publications() {
        return publications;
    }

    /** The publications of one owner. */
    public List<Publication> of(String kind, String name) {
        return publications.stream().filter(p -> p.kind().equals(kind) && p.owner().equals(name)).toList();
    }

    /** The owner label holding {@code key}, if any (conflicting claims never hold). */
    public java.util.Optional<Publication> holder(String key) {
        return publications.stream().filter(p -> p.key().equals(key) && !p.state().equals("conflict")).findFirst();
    }

    /** What the kernel NAT must forward: the active publications. */
    public List<Forward> forwards() {
        return publications.stream().filter(p -> p.state().equals("active"))
                .map(p -> new Forward(p.protocol(), p.hostPort(), p.backends().stream().map(Publication.Backend::ip)
                        .toList(), p.port(), p.ownerLabel())).toList();
    }
}
