package io.volant.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** plugins-and-guest.md §1.4, step by step. Idempotent: every step maps its own output to itself. */
final class Normalizer {
    private Normalizer() {}

    static Manifest normalize(Manifest m) {
        String name = Text.trim(m.name());
        String runtime = Text.trim(m.runtime());
        if (runtime.isEmpty()) {
            runtime = name;
        }
        return new Manifest(
                Text.trim(m.schemaVersion()),
                name,
                Text.trim(m.version()),
                runtime,
                rootfs(m.rootfs()),
                new Initramfs(Text.trim(m.initramfs().url()), Text.trim(m.initramfs().checksum())),
                m.disks().stream().map(Normalizer::disk).toList(),
                Text.trim(m.image()),
                Text.trim(m.imageDigest()),
                m.resources(),
                Text.rekey(m.actions(), Normalizer::action),
                m.healthCheck(),
                workload(m.workload()),
                cloudInit(m.cloudInit()),
                network(m.network()),
                m.devices(),
                m.enabled(),
                Text.trim(m.openapi()),
                labels(m.labels(), name, runtime));
    }

    private static RootFs rootfs(RootFs r) {
        String format = Text.trimLower(r.format());
        return new RootFs(Text.trim(r.url()), Text.trim(r.checksum()), format.isEmpty() ? "raw" : format);
    }

    private static Disk disk(Disk d) {
        return new Disk(Text.trim(d.name()), Text.trim(d.source()), d.checksum(), Text.trimLower(d.format()),
                d.readonly(), Text.trim(d.target()));
    }

    private static Action action(Action a) {
        return new Action(Text.trim(a.description()), Text.trim(a.method()), Text.trim(a.path()), a.timeoutMs());
    }

    private static Workload workload(Workload w) {
        List<String> entrypoint = new ArrayList<>(w.entrypoint().size());
        for (String arg : w.entrypoint()) {
            String t = Text.trim(arg);
            if (!t.isEmpty()) {
                entrypoint.add(t);
            }
        }
        return new Workload(Text.trim(w.type()), Text.trim(w.baseUrl()), entrypoint,
                Text.rekey(w.env(), Text::trim), Text.trim(w.workdir()));
    }

    private static CloudInit cloudInit(CloudInit c) {
        if (c == null) {
            return null;
        }
        String datasource = Text.trim(c.datasource());
        String seedMode = Text.trimLower(c.seedMode());
        return new CloudInit(datasource.isEmpty() ? "NoCloud" : datasource, seedMode.isEmpty() ? "vfat" : seedMode,
                doc(c.userData()), doc(c.metaData()), doc(c.networkConfig()));
    }

    private static CloudInitDoc doc(CloudInitDoc d) {
        return d == null ? null : new CloudInitDoc(d.inline(), Text.trim(d.content()), Text.trim(d.path()));
    }

    private static NetworkConfig network(NetworkConfig n) {
        if (n == null) {
            return null;
        }
        return new NetworkConfig(Text.trimLower(n.mode()), Text.trim(n.subnet()), Text.trim(n.gateway()),
                n.autoAssign());
    }

    private static Map<String, String> labels(Map<String, String> in, String name, String runtime) {
        Map<String, String> out = new TreeMap<>(Text.CODE_POINT_ORDER);
        in.forEach((k, v) -> out.put(k, Text.trim(v)));
        if (!name.isEmpty()) {
            out.put(Manifest.LABEL_PLUGIN, name);
        }
        if (!runtime.isEmpty()) {
            out.put(Manifest.LABEL_RUNTIME, runtime);
        }
        return out;
    }
}
