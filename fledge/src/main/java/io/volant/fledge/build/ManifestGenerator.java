package io.volant.fledge.build;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.volant.fledge.config.ManifestTemplate;
import io.volant.fledge.util.ChecksumRule;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.manifest.Action;
import io.volant.manifest.CloudInit;
import io.volant.manifest.CloudInitDoc;
import io.volant.manifest.DeviceConfig;
import io.volant.manifest.HealthCheck;
import io.volant.manifest.Initramfs;
import io.volant.manifest.Manifest;
import io.volant.manifest.ManifestException;
import io.volant.manifest.Manifests;
import io.volant.manifest.NetworkConfig;
import io.volant.manifest.Resources;
import io.volant.manifest.RootFs;
import io.volant.manifest.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The installable manifest written next to an artifact as {@code <artifact>.manifest.json} (§4.11 Chosen): absolute
 * {@code file://} URL, {@code sha256:} checksum, {@code http} workload from the template or the OCI config; built,
 * normalized and validated with the shared manifest library before it is written.
 */
public final class ManifestGenerator {
    public enum Medium { INITRAMFS, ROOTFS }

    private final Log log;

    public ManifestGenerator(Log log) {
        this.log = log;
    }

    public Manifest generate(ManifestTemplate t, Medium medium, Path artifact, String fsType, ImageInfo image) {
        Path abs = artifact.toAbsolutePath().normalize();
        String url = abs.toUri().toString();
        String checksum = "sha256:" + ChecksumRule.sha256Hex(abs);
        RootFs rootfs = medium == Medium.ROOTFS ? new RootFs(url, checksum, fsType) : null;
        Initramfs initramfs = medium == Medium.INITRAMFS ? new Initramfs(url, checksum) : null;

        List<String> entrypoint = new ArrayList<>();
        if (t.workload() != null && !t.workload().entrypoint().isEmpty()) {
            entrypoint.add(t.workload().entrypoint());
            entrypoint.addAll(t.workload().args());
        } else {
            entrypoint.addAll(image.entrypoint());
        }
        Map<String, String> env = new TreeMap<>(image.env());
        env.putAll(t.env());
        int port = 0;
        if (t.network() != null) {
            port = (int) t.network().expose().stream().filter(e -> e.protocol().equals("tcp"))
                    .mapToLong(ManifestTemplate.Expose::port).findFirst().orElse(0);
        }
        if (port == 0) {
            port = image.port();
        }
        String baseUrl = port > 0 ? "http://127.0.0.1:" + port : "";
        Workload workload = new Workload("http", baseUrl, entrypoint, env, image.workdir());
        HealthCheck health = baseUrl.isEmpty() ? new HealthCheck("", 0) : new HealthCheck("/", 10000);

        Map<String, Action> actions = new LinkedHashMap<>();
        t.actions().forEach((name, a) -> actions.put(name, new Action("", a.method(), a.path(), 0)));
        NetworkConfig network = t.network() == null ? null : new NetworkConfig(t.network().mode(), "", "", false);
        DeviceConfig devices = t.pciPassthrough().isEmpty() ? null : new DeviceConfig(t.pciPassthrough(), List.of());
        CloudInit cloudInit = t.cloudInit() == null ? null : cloudInit(t.cloudInit());

        Manifest m = new Manifest(t.schemaVersion(), t.name(), t.version(), t.runtime(), rootfs, initramfs, List.of(),
                image.image(), image.digest(), new Resources(t.cpuCores(), t.memoryMb()), actions, health, workload,
                cloudInit, network, devices, true, "", Map.of());
        Manifest normalized = Manifests.normalize(m);
        List<String> missing = new ArrayList<>();
        if (baseUrl.isEmpty()) {
            missing.add("workload.base_url");
        }
        if (normalized.workload().entrypoint().isEmpty()) {
            missing.add("workload.entrypoint");
        }
        if (missing.isEmpty()) {
            try {
                Manifests.validate(normalized);
            } catch (ManifestException e) {
                throw new FledgeException("generated manifest is invalid: " + e.getMessage(), e);
            }
        } else {
            // §4.11: still write it, but say what the user must add before installing.
            log.warn("generated manifest is incomplete; add the missing members before installing",
                    "missing", String.join(",", missing));
        }
        return normalized;
    }

    /** Writes {@code <artifact>.manifest.json} (2-space JSON, 0644) and returns its path. */
    public Path write(Manifest m, Path artifact) {
        Path out = artifact.resolveSibling(artifact.getFileName() + ".manifest.json");
        try {
            Files.writeString(out, Manifests.toJson(m) + "\n");
            io.volant.fledge.mapping.Modes.setMode(out, 0644);
        } catch (IOException e) {
            throw new FledgeException("failed to write " + out + ": " + e.getMessage(), e);
        }
        log.info("manifest written", "path", out);
        return out;
    }

    private static CloudInit cloudInit(ManifestTemplate.CloudInit c) {
        CloudInitDoc user = c.userDataContent().isEmpty() && !c.userDataInline() ? null
                : new CloudInitDoc(c.userDataInline() || !c.userDataContent().isEmpty(), c.userDataContent(), "");
        CloudInitDoc meta = c.metaData().isEmpty() ? null : new CloudInitDoc(true, yaml(c.metaData()), "");
        return new CloudInit(c.datasource(), "", user, meta, null);
    }

    static String yaml(Map<String, Object> table) {
        try {
            return new YAMLMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()).writeValueAsString(table);
        } catch (IOException e) {
            throw new FledgeException("failed to render cloud_init.meta_data as YAML: " + e.getMessage(), e);
        }
    }
}
