package io.volant.volar.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON and YAML codecs volar uses. API objects travel as {@link JsonNode} so that volar prints what the server
 * sent, unchanged, including members this client does not know.
 */
public final class Json {
    private final ObjectMapper mapper = new ObjectMapper();
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

    public ObjectMapper mapper() {
        return mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public JsonNode parse(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(brief(e), e);
        }
    }

    public JsonNode parseJsonOrYaml(String text) {
        String t = text.stripLeading();
        try {
            return t.startsWith("{") || t.startsWith("[") ? mapper.readTree(text) : yaml().readTree(text);
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
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pretty JSON without a trailing newline. */
    public String pretty(JsonNode node) {
        try {
            return mapper.writer(pretty).writeValueAsString(node);
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
