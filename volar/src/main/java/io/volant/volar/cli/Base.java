package io.volant.volar.cli;

import io.volant.volar.client.ApiClient;
import io.volant.volar.client.Json;
import io.volant.volar.output.Format;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the leaf commands: root options, output streams, client, printing API objects. */
abstract class Base implements Callable<Integer> {
    static final Duration READ = Duration.ofSeconds(30);
    static final Duration LIFECYCLE = Duration.ofMinutes(10);

    @Spec
    CommandSpec spec;

    Volar root() {
        return (Volar) spec.root().userObject();
    }

    CliEnvironment env() {
        return root().environment();
    }

    Json json() {
        return root().json();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    ApiClient client(Duration dflt) {
        return root().client(dflt);
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    Format format(String value) {
        try {
            return Format.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Prints an API object as JSON or YAML; returns false for {@link Format#TABLE} (the caller prints text). */
    boolean printStructured(Format f, JsonNode node) {
        switch (f) {
            case JSON -> out().println(json().pretty(node));
            case YAML -> out().println(json().yaml(node));
            default -> {
                return false;
            }
        }
        return true;
    }
}
