package io.volant.volantd.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.errors.UnavailableException;

/**
 * driftd's route API (api-and-cli.md §2.9, host-runtime.md §8): {@code GET/POST <endpoint>/routes},
 * {@code DELETE <endpoint>/routes/<protocol>/<port>}. Blocking, thread-safe. Failures: {@link DriftException}
 * (driftd's status, or 502 on transport failure); {@link UnavailableException} {@code drift not configured} from
 * {@link #notConfigured()}.
 */
public interface DriftClient {

    /** False only for {@link #notConfigured()}: the engine then applies no routes. */
    default boolean configured() {
        return true;
    }

    /** driftd's route array, as driftd sent it. */
    JsonNode listRoutes();

    /** Creates or replaces the route keyed by its protocol and host port; returns the route driftd stored. */
    JsonNode upsertRoute(JsonNode route);

    /** Deletes {@code <protocol>/<port>}; driftd's 404 arrives as a {@link DriftException} with status 404. */
    void deleteRoute(String protocol, int hostPort);

    /** {@code VOLANT_DRIFT_ENDPOINT} unset: every call is 503 {@code drift not configured}. */
    static DriftClient notConfigured() {
        return new DriftClient() {
            @Override
            public boolean configured() {
                return false;
            }

            @Override
            public JsonNode listRoutes() {
                throw new UnavailableException("drift not configured");
            }

            @Override
            public JsonNode upsertRoute(JsonNode route) {
                throw new UnavailableException("drift not configured");
            }

            @Override
            public void deleteRoute(String protocol, int hostPort) {
                throw new UnavailableException("drift not configured");
            }
        };
    }
}
