package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Query-parameter and body-member helpers whose errors name the parameter (api-and-cli.md §1.3). */
final class Params {
    private Params() {}

    /** Absent or empty → {@code fallback}; else an integer ≥ 0, or 400 {@code invalid <name>}. */
    static Integer nonNegative(Context ctx, String name, Integer fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < 0) {
                throw ApiException.invalid("invalid " + name);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid " + name);
        }
    }

    /** A string member; absent or null → "", other types → 400 {@code invalid value for <member>}. */
    static String string(ObjectNode body, String member) {
        JsonNode v = body.get(member);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw ApiException.invalid("invalid value for " + member);
        }
        return v.asText();
    }

    /** A required non-blank string member: 400 {@code <member> is required}. */
    static String requiredString(ObjectNode body, String member) {
        String v = string(body, member);
        if (v.isBlank()) {
            throw ApiException.invalid(member + " is required");
        }
        return v;
    }

    /** An integer member; absent or null → {@code fallback}; other types → 400. */
    static Integer integer(ObjectNode body, String member, Integer fallback) {
        JsonNode v = body.get(member);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.invalid("invalid value for " + member);
        }
        return v.intValue();
    }

    /** A string or number member rendered as text (ports are accepted in both forms). */
    static String stringOrNumber(ObjectNode body, String member) {
        JsonNode v = body.get(member);
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isTextual() || v.isIntegralNumber()) {
            return v.asText();
        }
        throw ApiException.invalid("invalid value for " + member);
    }

    /** A boolean member, required: 400 {@code <member> is required}. */
    static boolean requiredBoolean(ObjectNode body, String member) {
        JsonNode v = body.get(member);
        if (v == null || v.isNull()) {
            throw ApiException.invalid(member + " is required");
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid("invalid value for " + member);
        }
        return v.booleanValue();
    }
}
