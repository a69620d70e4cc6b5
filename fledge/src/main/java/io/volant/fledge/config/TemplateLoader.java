package io.volant.fledge.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.fledge.config.ManifestTemplate.Action;
import io.volant.fledge.config.ManifestTemplate.CloudInit;
import io.volant.fledge.config.ManifestTemplate.Expose;
import io.volant.fledge.config.ManifestTemplate.Network;
import io.volant.fledge.config.ManifestTemplate.Workload;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Loads {@code manifest.toml} (§4.3) with its defaults, validation and exact messages. */
public final class TemplateLoader {
    private final Log log;

    public TemplateLoader(Log log) {
        this.log = log;
    }

    public ManifestTemplate load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FledgeException("failed to read manifest template " + file + ": " + e.getMessage(), e);
        }
        return parse(text);
    }

    public ManifestTemplate parse(String toml) {
        ManifestTemplate t;
        try {
            t = read(toml);
        } catch (FledgeException e) {
            throw FledgeException.wrap("failed to parse manifest TOML: ", e);
        }
        try {
            validate(t);
        } catch (FledgeException e) {
            throw FledgeException.wrap("manifest validation failed: ", e);
        }
        return t;
    }

    private ManifestTemplate read(String toml) {
        TomlTable root = new TomlTable(ConfigLoader.parseTree(toml), "");
        String schema = root.string("schema_version");
        String name = root.string("name");
        String version = root.string("version");
        String runtime = root.string("runtime");
        int cpu = 1;
        int mem = 256;
        TomlTable r = root.table("resources");
        if (r != null) {
            cpu = (int) r.integer("cpu_cores");
            mem = (int) r.integer("memory_mb");
        }
        Workload workload = null;
        TomlTable w = root.table("workload");
        if (w != null) {
            workload = new Workload(w.string("entrypoint"), List.copyOf(w.strings("args")));
        }
        Map<String, String> env = root.stringMap("env");
        Network network = null;
        TomlTable n = root.table("network");
        if (n != null) {
            List<Expose> expose = new ArrayList<>();
            for (TomlTable e : n.tables("expose")) {
                String proto = e.string("protocol");
                expose.add(new Expose(e.integer("port"), proto.isEmpty() ? "tcp" : proto, e.integer("host_port")));
            }
            String mode = n.string("mode");
            network = new Network(mode.isEmpty() ? "bridged" : mode, List.copyOf(expose));
        }
        Map<String, Action> actions = new TreeMap<>();
        TomlTable a = root.table("actions");
        if (a != null) {
            for (String actionName : a.keys()) {
                TomlTable act = a.table(actionName);
                actions.put(actionName, new Action(act.string("path"), act.string("method")));
            }
        }
        CloudInit ci = null;
        TomlTable c = root.table("cloud_init");
        if (c != null) {
            boolean inline = false;
            String content = "";
            TomlTable ud = c.table("user_data");
            if (ud != null) {
                inline = ud.bool("inline");
                content = ud.string("content");
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            JsonNode md = c.raw("meta_data");
            if (md != null) {
                meta = toPlain(md);
            }
            ci = new CloudInit(c.string("datasource"), inline, content, meta);
        }
        List<String> pci = List.of();
        TomlTable d = root.table("devices");
        if (d != null) {
            pci = List.copyOf(d.strings("pci_passthrough"));
        }
        for (String key : root.unknownKeys()) {
            log.warn("unknown key in manifest.toml ignored", "key", key);
        }
        return new ManifestTemplate(schema.isEmpty() ? "v1" : schema, name, version, runtime, cpu, mem, workload, env, network, actions, ci, pci);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toPlain(JsonNode node) {
        if (!node.isObject()) {
            throw new FledgeException("'cloud_init.meta_data' must be a table");
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(node, LinkedHashMap.class);
    }

    static void validate(ManifestTemplate t) {
        if (t.schemaVersion().isEmpty()) {
            throw new FledgeException("schema_version is required");
        }
        if (!"v1".equals(t.schemaVersion())) {
            throw new FledgeException("unsupported schema_version \"" + t.schemaVersion() + "\" (expected \"v1\")");
        }
        if (t.name().isEmpty()) {
            throw new FledgeException("name is required");
        }
        if (t.version().isEmpty()) {
            throw new FledgeException("version is required");
        }
        if (t.runtime().isEmpty()) {
            throw new FledgeException("runtime is required");
        }
        if (t.cpuCores() < 1) {
            throw new FledgeException("resources.cpu_cores must be >= 1");
        }
        if (t.memoryMb() < 128) {
            throw new FledgeException("resources.memory_mb must be >= 128");
        }
        if (t.network() != null) {
            String mode = t.network().mode();
            if (!mode.equals("bridged") && !mode.equals("vsock") && !mode.equals("dhcp")) {
                throw new FledgeException("invalid network.mode \"" + mode + "\" (must be bridged, vsock, or dhcp)");
            }
            List<Expose> ex = t.network().expose();
            for (int i = 0; i < ex.size(); i++) {
                if (ex.get(i).port() < 1 || ex.get(i).port() > 65535) {
                    throw new FledgeException("network.expose[" + i + "].port must be 1-65535");
                }
                if (!ex.get(i).protocol().equals("tcp") && !ex.get(i).protocol().equals("udp")) {
                    throw new FledgeException("network.expose[" + i + "].protocol must be tcp or udp");
                }
            }
        }
    }
}
