package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Published ports (docs/volar.md): {@code volar deployments|vms expose NAME HOST_PORT:PORT[/udp]} and
 * {@code unexpose NAME HOST_PORT[/udp]}, plus the helpers {@code get} and {@code list} use to show them.
 */
final class PublishCommands {
    private static final Pattern MAPPING = Pattern.compile("^(\\d{1,5}):(\\d{1,5})(?:/([A-Za-z]+))?$");
    private static final Pattern PORT = Pattern.compile("^(\\d{1,5})(?:/([A-Za-z]+))?$");

    private PublishCommands() {}

    /** {@code /api/v1/<collection>/<name>/expose}. */
    static String exposePath(String collection, String name) {
        return "/api/v1/" + collection + "/" + seg(name) + "/expose";
    }

    /** {@code 8080->80/tcp (active: web-1, web-2)}, one per publication. */
    static String describe(JsonNode p) {
        List<String> vms = new ArrayList<>();
        p.path("backends").forEach(b -> vms.add(text(b, "vm")));
        String state = text(p, "state");
        String detail = text(p, "detail");
        return number(p, "host_port") + "->" + number(p, "port") + "/" + text(p, "protocol") + " (" + state
                + (vms.isEmpty() ? "" : ": " + String.join(", ", vms)) + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }

    /** {@code 8080->80/tcp,5353->53/udp} per owner ({@code vm <name>} / {@code deployment <name>}) for list tables. */
    static Map<String, String> byOwner(ApiClient api) {
        Map<String, String> out = new HashMap<>();
        JsonNode all;
        try {
            all = api.get("/api/v1/published");
        } catch (ApiException e) {
            return out; // an older volantd without publishing: the column stays empty
        }
        for (JsonNode p : all) {
            String key = text(p, "kind") + " " + text(p, "owner");
            String port = number(p, "host_port") + "->" + number(p, "port") + "/" + text(p, "protocol");
            out.merge(key, port, (a, b) -> a + "," + b);
        }
        return out;
    }

    /** Adds {@code "published"} (the owner's publications, when there are any) to an object {@code get} prints. */
    static JsonNode withPublished(ApiClient api, String collection, String name, JsonNode resource) {
        if (resource instanceof ObjectNode o) {
            try {
                JsonNode published = api.get(exposePath(collection, name));
                if (!published.isEmpty()) {
                    o.set("published", published);
                }
            } catch (ApiException e) {
                // an older volantd, or a VM that is a deployment replica: nothing to add
            }
        }
        return resource;
    }

    /** The shared body of the four commands: parse, call, print the owner's publications. */
    abstract static class PublishBase extends Base {
        @Parameters(index = "0", paramLabel = "<name>", description = "deployment or VM name")
        String name;

        /** {@code vms} or {@code deployments}: the parent command's name is the API collection. */
        String collection() {
            return spec.parent().name();
        }

        String protocol(String raw) {
            String p = raw == null ? "tcp" : raw.toLowerCase(Locale.ROOT);
            if (!p.equals("tcp") && !p.equals("udp")) {
                throw usage("protocol must be tcp or udp, got \"" + raw + "\"");
            }
            return p;
        }

        int port(String field, String digits) {
            int v = Integer.parseInt(digits);
            if (v < 1 || v > 65535) {
                throw usage(field + " must be between 1 and 65535, got " + v);
            }
            return v;
        }

        void print(JsonNode publications) {
            if (publications.isEmpty()) {
                out().println(name + " publishes no ports");
                return;
            }
            publications.forEach(p -> out().println(describe(p)));
        }
    }

    abstract static class Expose extends PublishBase {
        @Parameters(index = "1", paramLabel = "<host_port:port[/udp]>",
                description = "host port, guest port and protocol (tcp unless /udp), e.g. 8080:80")
        String mapping;

        @Override
        public Integer call() {
            Matcher m = MAPPING.matcher(mapping.trim());
            if (!m.matches()) {
                throw usage("expected HOST_PORT:PORT[/udp], got \"" + mapping + "\"");
            }
            ObjectNode body = json().object().put("host_port", port("host_port", m.group(1)))
                    .put("port", port("port", m.group(2))).put("protocol", protocol(m.group(3)));
            print(client(LIFECYCLE).post(exposePath(collection(), name), body));
            return 0;
        }
    }

    abstract static class Unexpose extends PublishBase {
        @Parameters(index = "1", paramLabel = "<host_port[/udp]>", description = "the published host port, e.g. 8080")
        String port;

        @Override
        public Integer call() {
            Matcher m = PORT.matcher(port.trim());
            if (!m.matches()) {
                throw usage("expected HOST_PORT[/udp], got \"" + port + "\"");
            }
            String path = exposePath(collection(), name) + "/" + port("host_port", m.group(1)) + "?protocol="
                    + protocol(m.group(2));
            print(client(LIFECYCLE).send("DELETE", path, null).json(json()));
            return 0;
        }
    }

    @Command(name = "expose", description = "Publish a host port on every ready replica (HOST_PORT:PORT[/udp]).")
    static final class DeploymentExpose extends Expose {}

    @Command(name = "unexpose", description = "Withdraw a published host port (HOST_PORT[/udp]).")
    static final class DeploymentUnexpose extends Unexpose {}

    @Command(name = "expose", description = "Publish a host port on the VM (HOST_PORT:PORT[/udp]).")
    static final class VmExpose extends Expose {}

    @Command(name = "unexpose", description = "Withdraw a published host port (HOST_PORT[/udp]).")
    static final class VmUnexpose extends Unexpose {}
}
