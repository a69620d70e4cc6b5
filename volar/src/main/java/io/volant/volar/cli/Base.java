package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.Json;
import io.volant.volar.output.Format;
import io.volant.volar.output.Listing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the leaf commands: root options, output streams, client, printing API objects, prompts. */
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

    Format format(OutputOption option) {
        try {
            return Format.parse(option.value);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Prints an API object as JSON or YAML; returns false for the human formats (the caller prints text). */
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

    /** A list in any format; an empty table says {@code empty} on stderr, so stdout stays parseable. */
    void printList(Format f, JsonNode items, List<Listing.Column> columns, String empty) {
        printList(f, items, columns, empty, n -> text(n, "name"));
    }

    void printList(Format f, JsonNode items, List<Listing.Column> columns, String empty,
            Function<JsonNode, String> nameOf) {
        if (printStructured(f, items)) {
            return;
        }
        if (f == Format.NAME) {
            items.forEach(i -> out().println(nameOf.apply(i)));
            return;
        }
        if (items.isEmpty()) {
            err().println(empty);
            return;
        }
        Listing.render(items, columns, f == Format.WIDE).forEach(out()::println);
    }

    /** One object: the human text from {@code human}, its name, or the object itself. */
    void printObject(Format f, JsonNode obj, String name, Runnable human) {
        if (printStructured(f, obj)) {
            return;
        }
        if (f == Format.NAME) {
            out().println(name);
            return;
        }
        human.run();
    }

    /** The result of a change: {@code message} for people, the returned object or name otherwise. */
    void printResult(Format f, JsonNode obj, String name, String message) {
        printObject(f, obj, name, () -> out().println(message));
    }

    /**
     * Asks before destroying something (issue 17 row 15). On a terminal without {@code --yes} the question goes to
     * stderr and only {@code y}/{@code yes} proceeds; without a terminal nothing is asked (scripts keep working).
     *
     * @throws CliException "aborted" when the answer is not yes
     */
    void confirm(YesOption yes, String question) {
        if (yes.yes || !env().stdinTty()) {
            return;
        }
        err().print(question + " [y/N] ");
        err().flush();
        String answer;
        try {
            String line = new BufferedReader(new InputStreamReader(env().stdin(), StandardCharsets.UTF_8)).readLine();
            answer = line == null ? "" : line.trim().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            answer = "";
        }
        if (!answer.equals("y") && !answer.equals("yes")) {
            throw new CliException("aborted; nothing was changed");
        }
    }

    /** {@code --cpu}: at least 1 when given (issue 17 row 18). */
    void checkCpu(Integer cpu) {
        if (cpu != null && cpu < 1) {
            throw usage("--cpu must be at least 1 (got " + cpu + ")");
        }
    }

    /** {@code --memory} as MB: {@code 512}, {@code 512M}, {@code 1G}; null when not given. */
    Integer memoryMb(String memory) {
        if (memory == null) {
            return null;
        }
        long mb = Sizes.megabytes(memory);
        if (mb < 1 || mb > Integer.MAX_VALUE) {
            throw usage("--memory must be a size of at least 1 MB such as 512, 512M or 1G (got \"" + memory + "\")");
        }
        return (int) mb;
    }

    /** {@code 1 replica}, {@code 3 replicas}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
