package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;

/** driftd's route API (api-and-cli.md §2.9). Errors are {@link ApiException}s with the spec's statuses. */
public interface DriftGateway {

    JsonNode listRoutes();

    JsonNode upsertRoute(JsonNode route);

    void deleteRoute(String protocol, int port);

    /** {@code VOLANT_DRIFT_ENDPOINT} unset: every call is 503 {@code drift not configured}. */
    static DriftGateway notConfigured() {
        return new DriftGateway() {
            @Override
            public JsonNode listRoutes() {
                throw ApiException.unavailable("drift not configured");
            }

            @Override
            public JsonNode upsertRoute(JsonNode route) {
                throw ApiException.unavailable("drift not configured");
            }

            @Override
            public void deleteRoute(String protocol, int port) {
                throw ApiException.unavailable("drift not configured");
            }
        };
    }
}
