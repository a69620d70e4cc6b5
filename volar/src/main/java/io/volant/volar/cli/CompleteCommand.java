package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.client.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code volar __complete -- <words...>} (hidden; called by the completion scripts): candidates for the last word
 * when it is a VM, plugin or deployment name or a known option value, one per line, exit 0. Names come from
 * volantd with a one-second limit and nothing is printed when it does not answer (api-and-cli.md §6 item 4).
 * Exit 1 means "not a dynamic position": the script falls back to its static command and option completion.
 */
@Command(name = "__complete", hidden = true, description = "Completion candidates for the completion scripts.")
final class CompleteCommand extends Base {
    static final Duration LIMIT = Duration.ofSeconds(1);

    @Parameters(arity = "0..*", paramLabel = "<word>", description = "the words typed after volar, the last one "
            + "being completed")
    List<String> words = new ArrayList<>();

    /** What a position holds. */
    enum Kind { VM, PLUGIN, DEPLOYMENT, FORMAT, STATUS, KIND, SHELL, NONE }

    @Override
    public Integer call() {
        List<String> typed = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
        CommandLine cl = spec.root().commandLine();
        String api = null;
        String apiKey = null;
        String pendingOption = null;
        int positional = 0;
        for (String w : typed) {
            if (pendingOption != null) {
                if (pendingOption.equals("--api")) {
                    api = w;
                } else if (pendingOption.equals("--api-key")) {
                    apiKey = w;
                }
                pendingOption = null;
            } else if (positional == 0 && cl.getSubcommands().containsKey(w)) {
                cl = cl.getSubcommands().get(w);
            } else if (w.startsWith("-")) {
                OptionSpec o = cl.getCommandSpec().findOption(w.split("=", 2)[0]);
                if (o != null && o.arity().max() > 0 && !w.contains("=")) {
                    pendingOption = o.longestName();
                }
            } else {
                positional++;
            }
        }
        Kind kind = pendingOption != null ? optionKind(pendingOption) : positionalKind(cl.getCommandSpec(), positional);
        if (kind == Kind.NONE) {
            return 1;
        }
        candidates(kind, api, apiKey).forEach(out()::println);
        return 0;
    }

    static Kind optionKind(String option) {
        return switch (option) {
            case "--output" -> Kind.FORMAT;
            case "--plugin" -> Kind.PLUGIN;
            case "--vm" -> Kind.VM;
            case "--status" -> Kind.STATUS;
            case "--kind" -> Kind.KIND;
            default -> Kind.NONE;
        };
    }

    /** The kind of the {@code index}-th positional parameter of a command, by its label and its group. */
    static Kind positionalKind(CommandSpec command, int index) {
        List<PositionalParamSpec> params = command.positionalParameters();
        PositionalParamSpec p = params.stream().filter(x -> x.index().contains(index)).findFirst().orElse(null);
        if (p == null) {
            return Kind.NONE;
        }
        String group = command.qualifiedName(" ");
        return switch (p.paramLabel()) {
            case "<vm>" -> Kind.VM;
            case "<plugin>" -> Kind.PLUGIN;
            case "<shell>" -> Kind.SHELL;
            case "<name>" -> group.contains(" create") ? Kind.NONE
                    : group.startsWith("volar vms") ? Kind.VM
                    : group.startsWith("volar plugins") ? Kind.PLUGIN
                    : group.startsWith("volar deployments") ? Kind.DEPLOYMENT : Kind.NONE;
            default -> Kind.NONE;
        };
    }

    private List<String> candidates(Kind kind, String api, String apiKey) {
        return switch (kind) {
            case FORMAT -> List.of("table", "wide", "json", "yaml", "name");
            case STATUS -> VmsCommand.STATUSES.stream().sorted().toList();
            case KIND -> ArtifactsCommand.KINDS;
            case SHELL -> List.of("bash", "zsh", "fish", "powershell");
            default -> names(kind, api, apiKey);
        };
    }

    /** Names from volantd; none when it does not answer within {@link #LIMIT} (completion must stay silent). */
    private List<String> names(Kind kind, String api, String apiKey) {
        List<String> names = new ArrayList<>();
        try {
            String base = api != null ? api : root().apiBase();
            String key = apiKey != null ? apiKey : env().env("VOLANT_API_KEY");
            ApiClient client = root().track(new ApiClient(base, key, LIMIT, json(), env().env()));
            JsonNode list = switch (kind) {
                case VM -> client.get("/api/v1/vms");
                case DEPLOYMENT -> client.get("/api/v1/deployments");
                default -> client.get("/api/v1/plugins").path("plugins");
            };
            list.forEach(n -> names.add(n.isTextual() ? n.asText() : text(n, "name")));
        } catch (RuntimeException e) {
            return List.of();
        }
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names.stream().filter(n -> !n.isEmpty() && !n.toLowerCase(Locale.ROOT).contains("\n")).toList();
    }
}
