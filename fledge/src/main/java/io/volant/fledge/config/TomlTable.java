package io.volant.fledge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.fledge.util.FledgeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed, key-tracking reads from a parsed TOML table. Every key read is remembered, so {@link #unknownKeys()} lists
 * the keys nobody asked for (§7 F22: warn, don't fail). Type errors name the full key.
 */
final class TomlTable {
    private final ObjectNode node;
    private final String prefix;
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<TomlTable> children = new ArrayList<>();

    TomlTable(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    private String full(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    boolean has(String key) {
        seen.add(key);
        return node.has(key);
    }

    String string(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new FledgeException("'" + full(key) + "' must be a string");
        }
        return v.asText();
    }

    long integer(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber()) {
            throw new FledgeException("'" + full(key) + "' must be an integer");
        }
        return v.asLong();
    }

    boolean bool(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new FledgeException("'" + full(key) + "' must be a boolean");
        }
        return v.asBoolean();
    }

    List<String> strings(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new FledgeException("'" + full(key) + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new FledgeException("'" + full(key) + "' must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** A table of string values, sorted by key. */
    Map<String, String> stringMap(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        Map<String, String> out = new TreeMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new FledgeException("'" + full(key) + "' must be a table");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new FledgeException("'" + full(key) + "." + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** A sub-table, or null when absent. */
    TomlTable table(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new FledgeException("'" + full(key) + "' must be a table");
        }
        TomlTable t = new TomlTable((ObjectNode) v, full(key));
        children.add(t);
        return t;
    }

    /** An array of tables ({@code [[x]]}); empty when absent. */
    List<TomlTable> tables(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        List<TomlTable> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new FledgeException("'" + full(key) + "' must be an array of tables");
        }
        int i = 0;
        for (JsonNode e : v) {
            if (!e.isObject()) {
                throw new FledgeException("'" + full(key) + "' must be an array of tables");
            }
            TomlTable t = new TomlTable((ObjectNode) e, full(key) + "[" + i++ + "]");
            children.add(t);
            out.add(t);
        }
        return out;
    }

    /** The untyped value (free-form tables such as cloud-init meta-data), or null. */
    JsonNode raw(String key) {
        seen.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Full names of keys present in the document that no reader asked for, in document order. */
    List<String> unknownKeys() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!seen.contains(k)) {
                out.add(full(k));
            }
        });
        for (TomlTable c : children) {
            out.addAll(c.unknownKeys());
        }
        return out;
    }
}
