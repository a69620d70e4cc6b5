package io.volant.volantd.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.UpstreamException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of Drift (control-plane.md §9 Chosen, §2.10 items 3, 5, 10): which VM owns each
 * {@code <protocol>/<host_port>}, applying a VM's routes with rollback, and removing exactly the routes a VM owns.
 *
 * <p>Ownership rule: a key owned by a VM outside the claimant's deployment is a 409
 * {@code expose host_port <key> already used by vm <owner>}; a key owned by a member of the same deployment is
 * skipped (the first running member owns the deployment's routes; the controller hands them on). Ownership is
 * decided under this object's monitor; driftd is called outside it. Thread-safe.
 */
public final class DriftExposure {
    private static final Logger log = LoggerFactory.getLogger(DriftExposure.class);

    private final DriftClient client;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Owner> owners = new HashMap<>();

    public DriftExposure(DriftClient client) {
        this.client = client;
    }

    /** Drift off: every VM starts without routes. */
    public static DriftExposure disabled() {
        return new DriftExposure(DriftClient.notConfigured());
    }

    public boolean enabled() {
        return client.configured();
    }

    public DriftClient client() {
        return client;
    }

    private record Owner(String vm, String group) {}

    /** Keys reserved by one VM and not yet applied; {@link #apply} or {@link #cancel} ends it. */
    public record Claim(String vm, List<DriftRoute> routes) {
        public static final Claim NONE = new Claim("", List.of());
    }

    /**
     * Reserves the keys of {@code routes} that nobody owns yet for {@code vm} (all or nothing).
     *
     * @param group the VM's deployment, or null for a standalone VM
     * @throws ConflictException a key is owned by a VM outside {@code group}
     */
    public synchronized Claim reserve(String vm, String group, List<DriftRoute> routes) {
        List<DriftRoute> mine = new ArrayList<>();
        for (DriftRoute r : routes) {
            Owner o = owners.get(r.key());
            if (o == null) {
                mine.add(r);
            } else if (!o.vm().equals(vm) && (group == null || !group.equals(o.group()))) {
                throw new ConflictException("expose host_port " + r.key() + " already used by vm " + o.vm());
            } else if (!o.vm().equals(vm)) {
                log.info("drift route shared vm={} deployment={} route={} owner={}", vm, group, r.key(), o.vm());
            }
        }
        mine.forEach(r -> owners.put(r.key(), new Owner(vm, group)));
        return mine.isEmpty() ? Claim.NONE : new Claim(vm, List.copyOf(mine));
    }

    /**
     * Upserts the claimed routes in order. On failure deletes the ones applied (reverse order, 404 ignored),
     * gives up the claim and throws 502 {@code apply drift route <key>: <err>}.
     */
    public void apply(Claim claim) {
        List<DriftRoute> applied = new ArrayList<>();
        for (DriftRoute r : claim.routes()) {
            try {
                client.upsertRoute(mapper.valueToTree(r));
                applied.add(r);
            } catch (RuntimeException e) {
                for (int i = applied.size() - 1; i >= 0; i--) {
                    delete(claim.vm(), applied.get(i));
                }
                cancel(claim);
                throw new UpstreamException("apply drift route " + r.key() + ": " + e.getMessage(), e);
            }
        }
        if (!applied.isEmpty()) {
            log.info("drift routes applied vm={} routes={}", claim.vm(), applied.stream().map(DriftRoute::key).toList());
        }
    }

    /** Gives up a reservation without touching driftd. */
    public synchronized void cancel(Claim claim) {
        for (DriftRoute r : claim.routes()) {
            Owner o = owners.get(r.key());
            if (o != null && o.vm().equals(claim.vm())) {
                owners.remove(r.key());
            }
        }
    }

    /**
     * Deletes every route {@code vm} owns (404 = success, other failures logged) and forgets them.
     *
     * @return the keys released, empty when the VM owned none
     */
    public List<String> release(String vm) {
        List<String> keys;
        synchronized (this) {
            keys = owners.entrySet().stream().filter(e -> e.getValue().vm().equals(vm)).map(Map.Entry::getKey).sorted()
                    .toList();
            keys.forEach(owners::remove);
        }
        for (String key : keys) {
            int slash = key.indexOf('/');
            delete(vm, key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)));
        }
        if (!keys.isEmpty()) {
            log.info("drift routes removed vm={} routes={}", vm, keys);
        }
        return keys;
    }

    /**
     * Deletes routes left at driftd by a VM that is not running (it crashed while volantd was down), skipping keys
     * a running VM owns. 404 = success; failures are logged.
     */
    public void dropStale(String vm, List<DriftRoute> routes) {
        for (DriftRoute r : routes) {
            synchronized (this) {
                if (owners.containsKey(r.key())) {
                    continue;
                }
            }
            delete(vm, r);
        }
    }

    /** The keys {@code vm} owns now. */
    public synchronized List<String> owned(String vm) {
        return owners.entrySet().stream().filter(e -> e.getValue().vm().equals(vm)).map(Map.Entry::getKey).sorted()
                .toList();
    }

    private void delete(String vm, DriftRoute r) {
        delete(vm, r.protocol(), r.hostPort());
    }

    private void delete(String vm, String protocol, int port) {
        try {
            client.deleteRoute(protocol, port);
        } catch (DriftException e) {
            if (!e.notFound()) {
                log.warn("drift route removal failed vm={} route={}/{} status={} error={}", vm, protocol, port,
                        e.status(), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("drift route removal failed vm={} route={}/{} error={}", vm, protocol, port, e.getMessage());
        }
    }
}
