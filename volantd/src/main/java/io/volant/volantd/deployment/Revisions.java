package io.volant.volantd.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.RevisionRow;
import io.volant.volantd.store.Tx;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmConfigs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Deployment revisions keyed by the digest of the normalized config: a config equal to an earlier revision's moves
 * the deployment back to that revision (its replicas are current again and are kept); a new one gets the next
 * number, never reused. The {@link #KEEP} most recently used revisions are kept; the current one always.
 */
final class Revisions {
    static final int KEEP = 10;
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Revisions() {}

    /** SHA-256 (hex) of the config JSON with object keys sorted, so member order does not matter. */
    static String digest(String configJson) {
        try {
            Object tree = CANONICAL.readValue(configJson, Object.class);
            byte[] h = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            throw new InternalException("deployment config digest: " + e.getMessage(), e);
        }
    }

    /** The stored config re-normalized (older rows may predate a normalization rule). */
    static String normalizedJson(String stored) {
        return VmConfigCodec.toJsonString(VmConfigs.normalize(VmConfigCodec.fromJsonString(stored)));
    }

    /** Records the current revision when it has no row yet (deployments older than revision history). */
    static void ensureCurrent(Tx tx, GroupRow g) throws SQLException {
        if (tx.revisions().get(g.id(), g.revision()).isEmpty()) {
            tx.revisions().insert(g.id(), g.revision(), digest(normalizedJson(g.configJson())), g.configJson(), "create");
        }
    }

    /**
     * Moves the deployment to {@code configJson} (normalized): nothing when it is the current revision's (except that
     * a failed rollout of it starts again), back to an earlier revision with the same digest, else a new revision. A
     * move starts a new rollout in the persisted state.
     *
     * @return the deployment's revision afterwards
     */
    static int moveTo(Tx tx, GroupRow g, String configJson, String cause, String strategyJson, Instant now) throws SQLException {
        ensureCurrent(tx, g);
        String digest = digest(configJson);
        var same = tx.revisions().byDigest(g.id(), digest);
        if (same.isPresent() && same.get().revision() == g.revision()) {
            if (strategyJson != null) {
                tx.groups().updateConfig(g.id(), g.configJson(), g.revision(), strategyJson);
            }
            RolloutState current = RolloutState.fromJson(g.rolloutJson(), g.revision(), now);
            if (current.revision() == g.revision() && current.status().equals(RolloutState.FAILED)) {
                // The failed revision's config posted again retries its rollout with a fresh deadline (the cause may
                // have gone); replicas already at it are kept.
                tx.groups().updateRollout(g.id(), RolloutState.start(g.revision(), now, current).toJson());
            }
            return g.revision();
        }
        int rev;
        String json;
        if (same.isPresent()) {
            rev = same.get().revision();
            json = same.get().configJson();
            tx.revisions().touch(g.id(), rev, cause);
        } else {
            rev = Math.max(g.lastRevision(), g.revision()) + 1;
            json = configJson;
            tx.revisions().insert(g.id(), rev, digest, json, cause);
        }
        tx.groups().updateConfig(g.id(), json, rev, strategyJson != null ? strategyJson : g.strategyJson());
        RolloutState old = RolloutState.fromJson(g.rolloutJson(), g.revision(), now);
        tx.groups().updateRollout(g.id(), RolloutState.start(rev, now, old).toJson());
        tx.revisions().prune(g.id(), KEEP, rev);
        return rev;
    }

    /** Moves back to a stored revision (undo, auto-rollback). */
    static int moveTo(Tx tx, GroupRow g, RevisionRow target, String cause, Instant now) throws SQLException {
        return moveTo(tx, g, target.configJson(), cause, null, now);
    }
}
