package io.volant.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Collection;
import java.util.Map;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry points of the manifest library: JSON conventions, normalization (§1.4) and validation (§1.5).
 * All methods are pure and thread-safe; every failure is a {@link ManifestException}.
 */
public final class Manifests {
    /** Largest JSON document accepted by {@code parse} (a manifest is a few KB; inline cloud-init adds some). */
    public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper MAPPER = newMapper();
    /**
     * The mapper {@code parse} reads with: the same conventions as {@link #MAPPER}, but it never reads annotations.
     * Reading them makes the JDK generate a {@code java.lang.reflect.Proxy} class per annotation type at run time,
     * which no AOT cache holds; in the guest under TCG that was ~1-1.5 s of kestrel's start-up (docs/benchmarks.md).
     * The records' JSON names are the snake_case of their components, so the naming strategy alone gives the same
     * mapping; the one alias ({@code devices.vfio}) is read by {@link DeviceConfigReader}. The result is checked
     * against {@link #MAPPER} by AnnotationFreeParsingTest.
     */
    private static final ObjectMapper READER = newReader();
    private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private Manifests() {}

    /**
     * The configured mapper: snake_case names, unknown members ignored, map entries sorted by key, no implicit
     * scalar coercion (a string is not an int, a float is not an int), no trailing tokens. Other modules reuse it
     * for the same conventions; do not reconfigure it (copy it with {@link ObjectMapper#copy()} instead).
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** @throws ManifestException when the text is not a JSON object of the manifest shape */
    public static Manifest parse(String json) {
        if (json == null) {
            throw new ManifestException("plugin manifest: document is empty");
        }
        if (json.length() > MAX_DOCUMENT_BYTES) {
            throw tooLarge(json.length());
        }
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ManifestException when the bytes are not a UTF-8 JSON object of the manifest shape */
    public static Manifest parse(byte[] json) {
        return parse(READER, json);
    }

    /** {@link #parse(byte[])} through {@code mapper}; tests compare the annotation-free reader with {@link #MAPPER}. */
    static Manifest parse(ObjectMapper mapper, byte[] json) {
        if (json == null || json.length == 0) {
            throw new ManifestException("plugin manifest: document is empty");
        }
        if (json.length > MAX_DOCUMENT_BYTES) {
            throw tooLarge(json.length);
        }
        Manifest m;
        try {
            m = mapper.readValue(json, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new ManifestException("plugin manifest: invalid JSON" + describe(e), e);
        } catch (IOException e) {
            throw new ManifestException("plugin manifest: invalid JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Jackson surfaces a few problems (e.g. from record constructors) as unchecked exceptions.
            if (e instanceof ManifestException me) {
                throw me;
            }
            throw new ManifestException("plugin manifest: invalid JSON: " + e.getMessage(), e);
        }
        if (m == null) {
            throw new ManifestException("plugin manifest: document must be a JSON object, not null");
        }
        return m;
    }

    /** Reads the whole stream (at most {@link #MAX_DOCUMENT_BYTES}) and parses it; does not close it. */
    public static Manifest parse(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        } catch (IOException e) {
            throw new ManifestException("plugin manifest: read failed: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw tooLarge(bytes.length);
        }
        return parse(bytes);
    }

    /** Pretty JSON (two-space indent, {@code "key": value}), member order and omissions per §1.2. */
    public static String toJson(Manifest m) {
        return write(PRETTY, m);
    }

    /** Compact JSON, the form that is gzipped for the kernel command line (§1.9). */
    public static String toCompactJson(Manifest m) {
        return write(COMPACT, m);
    }

    /** §1.4: returns a normalized copy; idempotent. */
    public static Manifest normalize(Manifest m) {
        return Normalizer.normalize(m);
    }

    /**
     * §1.5: validates a normalized copy of {@code m}; the first failure wins.
     *
     * @throws ManifestException with the exact spec message
     */
    public static void validate(Manifest m) {
        Validator.check(Normalizer.normalize(m));
    }

    /** Normalizes, validates the result and returns it (what an install does before storing). */
    public static Manifest normalizeAndValidate(Manifest m) {
        Manifest n = Normalizer.normalize(m);
        Validator.check(n);
        return n;
    }

    private static String write(ObjectWriter writer, Manifest m) {
        try {
            return writer.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new ManifestException("plugin manifest: cannot serialize: " + e.getOriginalMessage(), e);
        }
    }

    private static ManifestException tooLarge(int size) {
        return new ManifestException("plugin manifest: document is " + size + " bytes, limit " + MAX_DOCUMENT_BYTES);
    }

    /** ": <problem> at <json path>" or ": <problem> at line L column C", without Jackson's source dump. */
    private static String describe(JsonProcessingException e) {
        String problem = e instanceof MismatchedInputException mie && mie.getTargetType() != null
                ? "expected " + jsonKind(mie.getTargetType())
                : firstLine(e.getOriginalMessage());
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return " at " + path + ": " + problem;
        }
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            return " at line " + loc.getLineNr() + " column " + loc.getColumnNr() + ": " + problem;
        }
        return ": " + problem;
    }

    private static String jsonKind(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed document";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static ObjectMapper newMapper() {
        return configure(JsonMapper.builder());
    }

    private static ObjectMapper newReader() {
        return configure(JsonMapper.builder()
                .disable(MapperFeature.USE_ANNOTATIONS)
                .addModule(new SimpleModule("volant-manifest-reader")
                        .addDeserializer(DeviceConfig.class, new DeviceConfigReader())));
    }

    private static ObjectMapper configure(JsonMapper.Builder builder) {
        JsonMapper mapper = builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        // Like Go's encoding/json: a number or boolean is not a string.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxStringLength(MAX_DOCUMENT_BYTES)
                .build());
        return mapper;
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }
}
