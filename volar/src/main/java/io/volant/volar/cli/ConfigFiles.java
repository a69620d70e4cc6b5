package io.volant.volar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Config files of {@code vms create --config}, {@code vms config set --file} and {@code deployments create
 * --config}: a VM config object or an envelope {@code {"config":{...}}} (api-and-cli.md §5.2 Chosen: a top-level
 * object whose {@code config} member is an object is an envelope).
 */
final class ConfigFiles {
    private ConfigFiles() {}

    /** @param arg a path relative to the working directory, or {@code -} for stdin (issue 17 row 19) */
    static ObjectNode read(Json json, String arg, CliEnvironment env) {
        if (arg.equals("-")) {
            try {
                return parse(json, new String(env.stdin().readAllBytes(), StandardCharsets.UTF_8), "stdin");
            } catch (IOException e) {
                throw new CliException("read config from stdin: " + describe(e));
            }
        }
        return read(json, env.resolve(arg));
    }

    static ObjectNode read(Json json, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CliException("read config file " + file + ": " + describe(e));
        }
        return parse(json, text, file.toString());
    }

    private static ObjectNode parse(Json json, String text, String source) {
        JsonNode node;
        try {
            node = json.parseJsonOrYaml(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("parse config " + source + ": " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new CliException("parse config " + source + ": expected a JSON or YAML object");
        }
        JsonNode inner = node.get("config");
        return inner != null && inner.isObject() ? (ObjectNode) inner.deepCopy() : (ObjectNode) node.deepCopy();
    }

    static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
