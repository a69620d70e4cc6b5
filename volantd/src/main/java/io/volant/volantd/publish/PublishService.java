package io.volant.volantd.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmConfigs;
import io.volant.volantd.vm.VmService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishing and withdrawing host ports of a VM or a deployment (docs/publishing.md): checks, then an edit of the
 * owner's {@code expose}, then one publisher pass, so the rules are installed when the call returns. A deployment's
 * {@code expose} is edited in place, without a new revision: publishing is the host's business and needs no replica
 * restarted. Changes are serialized, so two requests cannot both take one host port. Thread-safe.
 */
public final class PublishService {
    private static final Logger log = LoggerFactory.getLogger(PublishService.class);
    public static final String VM = "vm";
    public static final String DEPLOYMENT = "deployment";

    private final Store store;
    private final VmService vms;
    private final NamedLocks deploymentLocks;
    private final Publisher publisher;

    public PublishService(Store store, VmService vms, NamedLocks deploymentLocks, Publisher publisher) {
        this.store = store;
        this.vms = vms;
        this.deploymentLocks = deploymentLocks;
        this.publisher = publisher;
    }

    /** A request to publish {@code <hostPort>/<protocol>} of the owner on its VMs' {@code port}. */
    public record Request(String protocol, int hostPort, int port) {}

    /** Every publication, as of the last publisher pass. */
    public List<Publication> list() {
        return publisher.plan().publications();
    }

    /** The owner's publications; 404 for an unknown owner. */
    public List<Publication> of(String kind, String name) {
        owner(kind, name);
        return publisher.plan().of(kind, name);
    }

    /**
     * Publishes a port. 400 naming the field ({@code host_port}, {@code port}, {@code protocol}, or a host port the
     * owner already publishes), 404 for an unknown owner, 409 naming the holder when another VM or deployment
     * publishes it or another process listens on it.
     *
     * @return the owner's publications afterwards
     */
    public synchronized List<Publication> expose(String kind, String name, Request r) {
        String protocol = protocol(r.protocol());
        range("host_port", r.hostPort());
        range("port", r.port());
        String key = protocol + "/" + r.hostPort();
        VmConfig config = owner(kind, name);
        String label = kind + " " + name;
        for (VmConfig.Expose e : config.expose()) {
            if (e.hostPort() == r.hostPort() && PublishPlan.protocol(e.protocol()).equals(protocol)) {
                throw new InvalidArgumentException("host_port " + key + " is already published by " + label);
            }
        }
        VmConfig.Expose rule = new VmConfig.Expose("", protocol, r.port(), r.hostPort(), "");
        check(kind, name, List.of(rule));
        List<VmConfig.Expose> rules = new ArrayList<>(config.expose());
        rules.add(rule);
        write(kind, name, config.withExpose(rules));
        log.info("port published port={} owner=\"{}\" port_in_vm={}", key, label, r.port());
        return publisher.reconcile().of(kind, name);
    }

    /**
     * Withdraws a port: 400 for a bad protocol or port, 404 for an unknown owner or a port the owner does not
     * publish. Returns the owner's publications afterwards.
     */
    public synchronized List<Publication> unexpose(String kind, String name, String rawProtocol, int hostPort) {
        String protocol = protocol(rawProtocol);
        range("host_port", hostPort);
        VmConfig config = owner(kind, name);
        List<VmConfig.Expose> rules = new ArrayList<>(config.expose());
        boolean removed = rules.removeIf(e -> e.hostPort() == hostPort
                && PublishPlan.protocol(e.protocol()).equals(protocol));
        String key = protocol + "/" + hostPort;
        if (!removed) {
            throw new NotFoundException(kind + " " + name + " does not publish host port " + key);
        }
        write(kind, name, config.withExpose(rules));
        log.info("port unpublished port={} owner=\"{} {}\"", key, kind, name);
        return publisher.reconcile().of(kind, name);
    }

    /**
     * {@link io.volant.volantd.vm.ExposeGuard} for the config routes: every rule's host port must be free or the
     * owner's own. 409 naming the holder or the process; nothing is written by the caller then.
     */
    public synchronized void check(String kind, String name, List<VmConfig.Expose> rules) {
        PublishPlan now = null;
        for (VmConfig.Expose e : rules) {
            if (e.hostPort() <= 0) {
                continue;
            }
            now = now != null ? now : publisher.reconcile();
            String protocol = PublishPlan.protocol(e.protocol());
            String key = protocol + "/" + e.hostPort();
            Optional<Publication> holder = now.holder(key);
            if (holder.isPresent()) {
                if (!holder.get().kind().equals(kind) || !holder.get().owner().equals(name)) {
                    throw new ConflictException("host port " + key + " is already published by "
                            + holder.get().ownerLabel());
                }
                continue;
            }
            Optional<String> process = publisher.listener(protocol, e.hostPort());
            if (process.isPresent()) {
                throw new ConflictException("host port " + key + " is already bound by " + process.get());
            }
        }
    }

    /** The owner's current config; 404 unknown; 400 for a deployment member (its deployment publishes). */
    private VmConfig owner(String kind, String name) {
        return switch (kind) {
            case VM -> {
                Vm vm = vms.get(name);
                if (vm.deployment() != null && !vm.deployment().isEmpty()) {
                    throw new InvalidArgumentException("vm " + name + " is a replica of deployment "
                            + vm.deployment() + ": publish ports of the deployment");
                }
                yield vms.config(name).config();
            }
            case DEPLOYMENT -> VmConfigCodec.fromJsonString(group(name).configJson());
            default -> throw new InvalidArgumentException("unknown owner kind " + kind);
        };
    }

    private GroupRow group(String name) {
        return store.read(tx -> tx.groups().getByName(name))
                .orElseThrow(() -> new NotFoundException("orchestrator: deployment not found: " + name));
    }

    private void write(String kind, String name, VmConfig updated) {
        VmConfigs.validate(updated);
        if (kind.equals(VM)) {
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            patch.set("expose", VmConfigCodec.toJson(updated).withArray("expose"));
            vms.patchConfig(name, patch);
            return;
        }
        try (NamedLocks.Held _ = deploymentLocks.lock(name)) {
            GroupRow g = group(name);
            // The template changes without a new revision: members keep running, new members carry the rule.
            VmConfig current = VmConfigCodec.fromJsonString(g.configJson());
            String json = VmConfigCodec.toJsonString(current.withExpose(updated.expose()));
            store.write(tx -> {
                tx.groups().updateConfig(g.id(), json, g.revision(), g.strategyJson());
                return null;
            });
        }
    }

    private static String protocol(String raw) {
        String p = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (p.isEmpty()) {
            return "tcp";
        }
        if (!p.equals("tcp") && !p.equals("udp")) {
            throw new InvalidArgumentException("protocol must be tcp or udp, got \"" + raw + "\"");
        }
        return p;
    }

    private static void range(String field, int value) {
        if (value < 1 || value > 65535) {
            throw new InvalidArgumentException(field + " must be between 1 and 65535, got " + value);
        }
    }
}
