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
    private final ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());
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
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    public JsonNode parseJsonOrYaml(String text) {
        String t = text.stripLeading();
        try {
            return t.startsWith("{") || t.startsWith("[") ? mapper.readTree(text) : yaml.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
            return yaml.writeValueAsString(node).stripTrailing();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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
