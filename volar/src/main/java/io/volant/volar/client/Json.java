package io.volant.volar.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * The JSON and YAML codecs volar uses. API objects travel as {@link JsonNode} so that volar prints what the server
 * sent, unchanged, including members this client does not know.
 *
 * <p>Reading builds the tree from jackson-core's parser ({@link #read}), not through databind's {@code ObjectMapper}:
 * the mapper's class initialisation alone (a {@code StdDateFormat}, hence a {@code Calendar} and the locale
 * providers) cost more CPU than the rest of {@code volar version}'s JSON work. The mapper is built when something
 * writes JSON or YAML.
 */
public final class Json {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final JsonFactory factory = new JsonFactory();
    /** Built on first use, as {@link #yaml} (see the class comment). */
    private ObjectMapper mapper;
    private boolean parserPrepared;
    /** Built on first use: SnakeYAML and the YAML factory are start-up cost every JSON-only command would pay. */
    private ObjectMapper yaml;
    private final DefaultPrettyPrinter pretty;

    public Json() {
        // Two-space indentation, "key": value, arrays one element per line and empty containers as [] / {}:
        // the layout of Go's json.MarshalIndent(v, "", "  "), which upstream volar prints.
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        this.pretty = new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    public synchronized ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        return mapper;
    }

    /**
     * Starts initialising the parser's classes on a daemon thread, for a caller about to wait on the network (once
     * per instance). jackson-core's parsers initialise {@code java.math.BigDecimal}, whose JDK 25 static initialiser
     * computes 5^65536: ~15 ms of CPU that would otherwise run only when the response has arrived.
     */
    public synchronized void prepareParser() {
        if (!parserPrepared) {
            parserPrepared = true;
            Thread.ofPlatform().daemon().name("volar-json-init").start(() -> BigDecimal.ONE.signum());
        }
    }

    public ObjectNode object() {
        return NODES.objectNode();
    }

    public ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * The tree of one JSON document, as {@code ObjectMapper.readTree} builds it: integers as the smallest of
     * int/long/BigInteger, other numbers as doubles, the last of duplicate members wins, {@link MissingNode} for no
     * content; what follows the first value is not read.
     *
     * @throws JsonProcessingException on malformed JSON (the parser's own limits on size and nesting apply)
     */
    public JsonNode read(byte[] bytes) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            return document(p);
        }
    }

    public JsonNode parse(String text) {
        try (JsonParser p = factory.createParser(text)) {
            return document(p);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(brief(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does no I/O
        }
    }

    /** The first value of a fresh parser's document, {@link MissingNode} for no content. */
    private static JsonNode document(JsonParser p) throws IOException {
        return p.nextToken() == null ? MissingNode.getInstance() : value(p);
    }

    /** The value starting at the parser's current token; the parser's nesting limit bounds the recursion. */
    private static JsonNode value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    p.nextToken();
                    o.replace(name, value(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p));
                }
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token "
                    + p.currentToken());
        };
    }

    public JsonNode parseJsonOrYaml(String text) {
        String t = text.stripLeading();
        try {
            return t.startsWith("{") || t.startsWith("[") ? parse(text) : yaml().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(brief(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The parser's complaint without its internals (source description, token lists): first line of the message
     * and where it happened, e.g. {@code line 3, column 5: Unexpected character ('}' (code 125))}.
     */
    static String brief(JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? "invalid document" : e.getOriginalMessage().lines().findFirst()
                .orElse("invalid document");
        int cut = msg.indexOf(": was expecting");
        if (cut > 0) {
            msg = msg.substring(0, cut);
        }
        var loc = e.getLocation();
        return loc == null || loc.getLineNr() < 1 ? msg : "line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                + ": " + msg;
    }

    public String compact(JsonNode node) {
        try {
            return mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pretty JSON without a trailing newline. */
    public String pretty(JsonNode node) {
        try {
            return mapper().writer(pretty).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** YAML document without the leading {@code ---} and without a trailing newline. */
    public String yaml(JsonNode node) {
        try {
            return yaml().writeValueAsString(node).stripTrailing();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized ObjectMapper yaml() {
        if (yaml == null) {
            yaml = new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    // Without it "1.0" is written as 1.0 and read back as a number (issue 17 row 6).
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build());
        }
        return yaml;
    }

    /** Text of a member, "" when absent or null. */
    public static String text(JsonNode node, String member) {
        JsonNode v = node == null ? null : node.get(member);
        return v == null || v.isNull() ? "" : v.asText();
    }

    public static long number(JsonNode node, String member) {
        JsonNode v = node == null ? null : node.get(member);
        return v == null || v.isNull() ? 0 : v.asLong();
    }
}
