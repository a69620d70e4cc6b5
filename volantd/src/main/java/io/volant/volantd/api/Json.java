package io.volant.volantd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.volant.volantd.logging.Rfc3339;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * JSON conventions of the API (api-and-cli.md §1.3, §1.5): null members are omitted, unknown members are
 * ignored, bodies are limited to 16 MiB, and every decoding failure becomes a 400 naming what was wrong.
 */
public final class Json {
    /** api-and-cli.md §1.3: JSON bodies over 16 MiB get 413. */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final ObjectMapper mapper;

    public Json() {
        this.mapper = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false)
                .registerModule(new SimpleModule("volant-time").addSerializer(Instant.class, new InstantSerializer()));
    }

    private static final class InstantSerializer extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Rfc3339.format(value));
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The request body as a JSON tree; {@code null} for an empty body. */
    public JsonNode readTreeOrNull(Context ctx) {
        byte[] body = boundedBody(ctx);
        if (isBlank(body)) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid("invalid JSON body: " + detail(e));
        }
    }

    /** The request body as a JSON object; an empty body is {@code request body required}. */
    public ObjectNode readObject(Context ctx) {
        JsonNode node = readTreeOrNull(ctx);
        if (node == null) {
            throw ApiException.invalid("request body required");
        }
        if (!node.isObject()) {
            throw ApiException.invalid("invalid JSON body: expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The body decoded into {@code type}; wrong member types name the member ({@code invalid value for x}). */
    public <T> T read(Context ctx, Class<T> type) {
        return convert(readObject(ctx), type);
    }

    public <T> T convert(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(memberError(e));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid JSON body: " + e.getMessage());
        }
    }

    /** Writes {@code body} as {@code application/json; charset=utf-8} with {@code status}. */
    public void respond(Context ctx, int status, Object body) {
        ctx.status(status).contentType(CONTENT_TYPE).result(write(body));
    }

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static String memberError(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme && !jme.getPath().isEmpty()) {
            StringBuilder member = new StringBuilder();
            for (var ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!member.isEmpty()) {
                        member.append('.');
                    }
                    member.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    member.append('[').append(ref.getIndex()).append(']');
                }
            }
            return "invalid value for " + member;
        }
        return "invalid JSON body: " + detail(e);
    }

    /** The raw body, at most 16 MiB (413 beyond); an empty body is {@code request body required}. */
    public byte[] readBytes(Context ctx) {
        byte[] body = boundedBody(ctx);
        if (isBlank(body)) {
            throw ApiException.invalid("request body required");
        }
        return body;
    }

    /** The raw body, possibly empty; 413 {@code request body too large} beyond {@link #MAX_BODY_BYTES}. */
    static byte[] boundedBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw new ApiException(413, "invalid", "request body too large");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ApiException(413, "invalid", "request body too large");
            }
            return body;
        } catch (IOException e) {
            throw ApiException.invalid("invalid request body");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String detail(IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        String first = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        return ErrorText.withoutLibraryHints(first);
    }
}
