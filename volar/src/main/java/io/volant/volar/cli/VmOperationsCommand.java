package io.volant.volar.cli;

import static io.volant.volar.cli.VmsCommand.vmPath;
import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.text;
import static io.volant.volar.output.Listing.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.ApiException;
import io.volant.volar.output.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vms operations}, {@code vms call} (api-and-cli.md §5.6) and {@code vms action} (route 19). */
final class VmOperationsCommand {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

    private VmOperationsCommand() {}

    /** One operation of the workload's OpenAPI document. */
    record Operation(String id, String method, String path, String summary, List<String> mediaTypes) {
        String label() {
            return id.isEmpty() ? method + ":" + path : id;
        }
    }

    static List<Operation> operations(ApiClient api, String vm) {
        ApiClient.Response r;
        try {
            r = api.send("GET", vmPath(vm) + "/openapi", null);
        } catch (ApiException e) {
            throw new CliException("fetch openapi spec: " + e.getMessage() + " (HTTP " + e.status() + ")");
        }
        JsonNode doc;
        try {
            doc = api.json().parseJsonOrYaml(r.text());
        } catch (IllegalArgumentException e) {
            throw new CliException("parse openapi spec: " + e.getMessage());
        }
        if (doc == null || !doc.isObject() || !text(doc, "openapi").startsWith("3") || !doc.path("paths").isObject()) {
            throw new CliException("parse openapi spec: not an OpenAPI 3 document with paths");
        }
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (String m : METHODS) {
                JsonNode op = p.getValue().get(m);
                if (op == null || !op.isObject()) {
                    continue;
                }
                List<String> media = new ArrayList<>();
                op.path("requestBody").path("content").fieldNames().forEachRemaining(media::add);
                ops.add(new Operation(text(op, "operationId"), m.toUpperCase(Locale.ROOT), p.getKey(),
                        text(op, "summary"), media));
            }
        }
        // Operations with an id first, by id; ties (and id-less ones) by path, then method: a total order.
        ops.sort(Comparator.comparing((Operation o) -> o.id().isEmpty()).thenComparing(Operation::id)
                .thenComparing(Operation::path).thenComparing(Operation::method));
        return ops;
    }

    @Command(name = "operations", aliases = "ops", description = "List the operations of a VM workload's OpenAPI "
            + "document.")
    static final class Operations extends Base {
        @Parameters(paramLabel = "<vm>", description = "VM name")
        String vm;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            List<Operation> ops = operations(client(READ), vm);
            ArrayNode arr = json().array();
            ops.forEach(o -> arr.addObject().put("operation_id", o.id()).put("method", o.method())
                    .put("path", o.path()).put("summary", o.summary()));
            printList(f, arr, List.of(col("OPERATION ID", o -> label(o)), col("METHOD", o -> text(o, "method")),
                    col("PATH", o -> text(o, "path")), col("SUMMARY", o -> text(o, "summary"))),
                    "No operations found", VmOperationsCommand::label);
            return 0;
        }
    }

    private static String label(JsonNode o) {
        return text(o, "operation_id").isEmpty() ? text(o, "method") + ":" + text(o, "path") : text(o, "operation_id");
    }

    @Command(name = "call", description = "Call an operation of a VM workload through the agent proxy. The body "
            + "goes to stdout, the HTTP status to stderr (stdout with --include).")
    static final class Call extends Base {
        @Parameters(index = "0", paramLabel = "<vm>", description = "VM name")
        String vm;
        @Parameters(index = "1", paramLabel = "<operation>", description = "operationId or METHOD:PATH")
        String op;
        @Option(names = "--query", paramLabel = "k=v", description = "query parameter (repeatable)")
        List<String> query = new ArrayList<>();
        @Option(names = "--path-param", paramLabel = "name=value", description = "fills {name} in the path")
        List<String> pathParams = new ArrayList<>();
        @Option(names = "--body", description = "request body")
        String body;
        @Option(names = "--body-file", paramLabel = "<file>", description = "request body from a file")
        String bodyFile;
        @Option(names = {"-i", "--include"}, description = "print the HTTP status line on stdout before the body")
        boolean include;

        @Override
        public Integer call() {
            ApiClient api = client(Duration.ofSeconds(60));
            Operation o = find(operations(api, vm));
            String path = o.path();
            for (String pp : pathParams) {
                String[] kv = pp.split("=", 2);
                path = path.replace("{" + kv[0] + "}", seg(kv.length > 1 ? kv[1] : ""));
            }
            Matcher left = TEMPLATE.matcher(path);
            if (left.find()) {
                throw usage("missing path parameter: " + left.group(1));
            }
            List<String> q = new ArrayList<>();
            for (String kv : query) {
                String[] p = kv.split("=", 2);
                q.add(ApiClient.query(p[0]) + "=" + (p.length > 1 ? ApiClient.query(p[1]) : ""));
            }
            byte[] payload = null;
            if (body != null) {
                payload = body.getBytes(StandardCharsets.UTF_8);
            } else if (bodyFile != null) {
                try {
                    payload = Files.readAllBytes(env().resolve(bodyFile));
                } catch (IOException e) {
                    throw new CliException("read body file: " + ConfigFiles.describe(e));
                }
            }
            Map<String, String> headers = payload == null ? Map.of() : Map.of("Content-Type",
                    o.mediaTypes().contains("application/json") || o.mediaTypes().isEmpty() ? "application/json"
                            : o.mediaTypes().getFirst());
            String target = vmPath(vm) + "/agent/v1" + (path.startsWith("/") ? path : "/" + path)
                    + (q.isEmpty() ? "" : "?" + String.join("&", q));
            ApiClient.Response r = api.exchange(o.method(), target, payload, headers, api.timeout());
            // The status goes to stderr so that `vms call api1 health | jq` gets the body alone (issue 17 row 22).
            (include ? out() : err()).println("HTTP " + r.status());
            err().flush();
            var sink = r.status() < 400 ? out() : err();
            String shown = r.text();
            if (r.contentType().contains("json")) {
                try {
                    shown = json().pretty(json().parse(shown));
                } catch (IllegalArgumentException ignored) {
                    // not JSON after all: print it raw
                }
            }
            if (!shown.isEmpty()) {
                sink.println(shown);
            }
            return r.status() >= 400 ? ExitCodes.FAILURE : ExitCodes.OK;
        }

        private Operation find(List<Operation> ops) {
            for (Operation o : ops) {
                if (!o.id().isEmpty() && o.id().equalsIgnoreCase(op)) {
                    return o;
                }
            }
            for (Operation o : ops) {
                if ((o.method() + ":" + o.path()).equalsIgnoreCase(op)) {
                    return o;
                }
            }
            throw new CliException("operation \"" + op + "\" not found");
        }
    }

    @Command(name = "action", description = "Run a plugin action on a VM.")
    static final class Action extends Base {
        @Parameters(index = "0", paramLabel = "<vm>", description = "VM name")
        String vm;
        @Parameters(index = "1", paramLabel = "<action>", description = "action name from the plugin manifest")
        String action;
        @Option(names = "--plugin", description = "plugin that defines the action (default: the VM's plugin)")
        String plugin;
        @Option(names = "--body", description = "JSON body (default {})")
        String body;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(LIFECYCLE);
            String p = plugin;
            if (p == null || p.isBlank()) {
                JsonNode cfg = api.get(vmPath(vm) + "/config").path("config");
                p = text(cfg, "plugin").isEmpty() ? text(cfg.path("manifest"), "name") : text(cfg, "plugin");
                if (p.isEmpty()) {
                    throw new CliException("cannot tell the plugin of vm " + vm + "; pass --plugin");
                }
            }
            JsonNode payload;
            try {
                payload = json().parse(body == null || body.isBlank() ? "{}" : body);
            } catch (IllegalArgumentException e) {
                throw usage("--body is not valid JSON: " + e.getMessage());
            }
            ApiClient.Response r = api.send("POST", vmPath(vm) + "/actions/" + seg(p) + "/" + seg(action), payload);
            if (r.body().length == 0) {
                printResult(f, json().object().put("vm", vm).put("action", action).put("status", r.status()), vm,
                        "Action " + action + " accepted (HTTP " + r.status() + ")");
                return 0;
            }
            JsonNode answer;
            try {
                answer = json().parse(r.text());
            } catch (IllegalArgumentException notJson) {
                out().println(r.text()); // a plain text answer has one form only
                return 0;
            }
            printObject(f, answer, vm, () -> out().println(json().pretty(answer)));
            return 0;
        }
    }
}
