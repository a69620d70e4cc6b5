package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.volant.manifest.Manifests;
import java.io.IOException;
import java.time.Instant;

/**
 * The rollout state persisted with the deployment ({@code vm_groups.rollout_json}), so that a restarted volantd
 * resumes the rollout, its deadline and a pause where they were. Times are epoch milliseconds of the injected clock.
 *
 * @param revision the revision this state is about (the deployment's current one once a pass has run)
 * @param status {@code progressing}, {@code complete} or {@code failed}
 * @param message why (for {@code failed}: the reason)
 * @param progressAtMs when the rollout started or last made progress; the progress deadline counts from here
 * @param paused no rollout steps while set (healing and scaling go on)
 * @param stableRevision the last revision whose rollout completed (auto-rollback and undo go back to it); 0 = none
 * @param lastError the last replica failure (create, start, destroy), "" when the last attempt succeeded
 * @param lastErrorAtMs when {@code lastError} happened
 * @param available the most current-revision members seen available so far (more is progress)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutState(
        @JsonProperty("revision") int revision,
        @JsonProperty("status") String status,
        @JsonProperty("message") String message,
        @JsonProperty("progress_at_ms") long progressAtMs,
        @JsonProperty("paused") boolean paused,
        @JsonProperty("stable_revision") int stableRevision,
        @JsonProperty("last_error") String lastError,
        @JsonProperty("last_error_at_ms") long lastErrorAtMs,
        @JsonProperty("available") int available) {

    public static final String PROGRESSING = "progressing";
    public static final String COMPLETE = "complete";
    public static final String FAILED = "failed";

    public RolloutState {
        status = status == null ? PROGRESSING : status;
        message = message == null ? "" : message;
        lastError = lastError == null ? "" : lastError;
    }

    /** A fresh rollout of {@code revision} starting at {@code now}. */
    static RolloutState start(int revision, Instant now, RolloutState previous) {
        return new RolloutState(revision, PROGRESSING, "", now.toEpochMilli(), previous.paused, previous.stableRevision,
                previous.lastError, previous.lastErrorAtMs, 0);
    }

    /** Before the first pass of a deployment created before revisions were persisted. */
    static RolloutState initial(int revision, Instant now) {
        return new RolloutState(revision, PROGRESSING, "", now.toEpochMilli(), false, 0, "", 0, 0);
    }

    RolloutState withStatus(String s, String msg) {
        return new RolloutState(revision, s, msg, progressAtMs, paused, stableRevision, lastError, lastErrorAtMs, available);
    }

    RolloutState completed() {
        return new RolloutState(revision, COMPLETE, "", progressAtMs, paused, revision, lastError, lastErrorAtMs, available);
    }

    RolloutState progressed(Instant now, int nowAvailable) {
        return new RolloutState(revision, status, message, now.toEpochMilli(), paused, stableRevision, lastError,
                lastErrorAtMs, nowAvailable);
    }

    RolloutState withPaused(boolean p, Instant now) {
        // Resuming restarts the deadline: time spent paused is not the rollout's fault.
        long at = p ? progressAtMs : now.toEpochMilli();
        return new RolloutState(revision, status, message, at, p, stableRevision, lastError, lastErrorAtMs, available);
    }

    RolloutState withError(String error, Instant now) {
        return new RolloutState(revision, status, message, progressAtMs, paused, stableRevision, error, now.toEpochMilli(),
                available);
    }

    RolloutState clearError() {
        return lastError.isEmpty() ? this
                : new RolloutState(revision, status, message, progressAtMs, paused, stableRevision, "", lastErrorAtMs, available);
    }

    Instant progressAt() {
        return Instant.ofEpochMilli(progressAtMs);
    }

    Instant lastErrorAt() {
        return lastError.isEmpty() ? null : Instant.ofEpochMilli(lastErrorAtMs);
    }

    String toJson() {
        return Manifests.mapper().valueToTree(this).toString();
    }

    /** The stored state, or {@link #initial} when absent or unreadable. */
    static RolloutState fromJson(String json, int revision, Instant now) {
        if (json == null || json.isBlank()) {
            return initial(revision, now);
        }
        try {
            return Manifests.mapper().readValue(json, RolloutState.class);
        } catch (IOException e) {
            return initial(revision, now);
        }
    }
}
