package io.volant.volantd.plugin;

import io.volant.manifest.Action;
import io.volant.manifest.Manifest;
import io.volant.manifest.ManifestException;
import io.volant.manifest.Manifests;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.store.ArtifactRow;
import io.volant.volantd.store.PluginRow;
import io.volant.volantd.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-through plugin registry and artifact catalogue (control-plane.md §5.3-§5.4). Every change updates the DB
 * row and the in-memory map inside one critical section, so enable/disable/remove take effect at once; reads use
 * an immutable snapshot and never block. Thread-safe.
 */
public final class PluginRegistry {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern PLUGIN_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern ARTIFACT_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$");

    private final Store store;
    private final Object writeLock = new Object();
    private volatile Map<String, Plugin> plugins = Map.of();

    public PluginRegistry(Store store) {
        this.store = store;
    }

    /**
     * Loads every stored plugin (control-plane.md §5.1 startup load): undecodable rows are skipped with a warning,
     * an empty metadata gives a manifest with only name and version; rows are not validated.
     */
    public void load() {
        synchronized (writeLock) {
            Map<String, Plugin> next = new TreeMap<>();
            for (PluginRow row : store.read(tx -> tx.plugins().list())) {
                Manifest m;
                try {
                    m = row.metadata().isBlank() ? bare(row.name(), row.version()) : Manifests.parse(row.metadata());
                    m = Manifests.normalize(m);
                } catch (ManifestException | IllegalArgumentException e) {
                    log.warn("decode plugin manifest plugin={} error={}", row.name(), e.getMessage());
                    continue;
                }
                next.put(row.name(), toPlugin(row, m));
            }
            plugins = java.util.Collections.unmodifiableMap(next);
            log.info("plugins loaded count={}", next.size());
        }
    }

    /** Normalizes, validates (400 with the manifest message), upserts enabled; returns the stored plugin. */
    public Plugin install(Manifest manifest) {
        Manifest m;
        try {
            m = Manifests.normalizeAndValidate(manifest);
        } catch (ManifestException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
        if (!PLUGIN_NAME.matcher(m.name()).matches()) {
            throw new InvalidArgumentException("invalid plugin name \"" + m.name() + "\"");
        }
        checkLocalArtifacts(m);
        Manifest enabled = withEnabled(m, true);
        String json = Manifests.toCompactJson(enabled);
        synchronized (writeLock) {
            PluginRow row = store.write(tx -> {
                tx.plugins().upsert(enabled.name(), enabled.version(), true, json);
                return tx.plugins().getByName(enabled.name()).orElseThrow();
            });
            Plugin p = toPlugin(row, enabled);
            put(p);
            log.info("plugin installed plugin={} version={}", p.name(), p.version());
            return p;
        }
    }

    /** All plugins sorted by name. */
    public List<Plugin> list() {
        return List.copyOf(plugins.values());
    }

    public Optional<Plugin> find(String name) {
        return Optional.ofNullable(plugins.get(name));
    }

    /** The plugin or 404 {@code plugin not found}. */
    public Plugin get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("plugin not found"));
    }

    /** The manifest for guests: 404 {@code plugin not found}, 409 {@code plugin disabled}. */
    public Manifest manifest(String name) {
        Plugin p = get(name);
        if (!p.enabled()) {
            throw new ConflictException("plugin disabled");
        }
        return p.manifest();
    }

    /**
     * The action of a plugin (control-plane.md §5.1 resolveAction): 404 {@code plugin <p> not found} /
     * {@code action <a> not found}. Disabled plugins still resolve (upstream: enabled does not affect actions).
     */
    public Action resolveAction(String plugin, String action) {
        Plugin p = find(plugin).orElseThrow(() -> new NotFoundException("plugin " + plugin + " not found"));
        Action a = p.manifest().actions().get(action);
        if (a == null) {
            throw new NotFoundException("action " + action + " not found");
        }
        return a;
    }

    /** 404 {@code plugin not found} for an unknown name. Existing VMs keep their embedded manifest. */
    public void remove(String name) {
        synchronized (writeLock) {
            if (!store.write(tx -> tx.plugins().delete(name))) {
                throw new NotFoundException("plugin not found");
            }
            Map<String, Plugin> next = new TreeMap<>(plugins);
            next.remove(name);
            plugins = java.util.Collections.unmodifiableMap(next);
            log.info("plugin removed plugin={}", name);
        }
    }

    /** 404 {@code plugin not found} for an unknown name. */
    public Plugin setEnabled(String name, boolean enabled) {
        synchronized (writeLock) {
            Optional<PluginRow> row = store.write(tx -> tx.plugins().setEnabled(name, enabled)
                    ? tx.plugins().getByName(name) : Optional.<PluginRow>empty());
            if (row.isEmpty()) {
                throw new NotFoundException("plugin not found");
            }
            Plugin old = plugins.get(name);
            Manifest m = old != null ? old.manifest() : bare(name, row.get().version());
            Plugin p = toPlugin(row.get(), withEnabled(m, enabled));
            put(p);
            log.info("plugin {} plugin={}", enabled ? "enabled" : "disabled", name);
            return p;
        }
    }

    /** 400 {@code version and artifact_name required}; insert or replace by (plugin, version, name). */
    public PluginArtifact upsertArtifact(String plugin, ArtifactInput in) {
        String version = in.version().trim();
        String name = in.artifactName().trim();
        if (version.isEmpty() || name.isEmpty()) {
            throw new InvalidArgumentException("version and artifact_name required");
        }
        if (!ARTIFACT_NAME.matcher(version).matches()) {
            throw new InvalidArgumentException("invalid version \"" + version + "\"");
        }
        if (!ARTIFACT_NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("invalid artifact_name \"" + name + "\"");
        }
        ArtifactRow row = new ArtifactRow(0, plugin, version, name, in.kind().trim(), in.sourceUrl().trim(),
                in.checksum().trim(), in.format().trim(), in.localPath().trim(), in.sizeBytes(), null, null);
        return toArtifact(store.write(tx -> tx.artifacts().upsert(row)));
    }

    /** {@code version} null/blank = all versions (version desc, then name); else by name. */
    public List<PluginArtifact> listArtifacts(String plugin, String version) {
        List<ArtifactRow> rows = store.read(tx -> version == null || version.isBlank()
                ? tx.artifacts().list(plugin) : tx.artifacts().list(plugin, version.trim()));
        List<PluginArtifact> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(toArtifact(r)));
        return out;
    }

    /** 400 {@code version query required}, 404 {@code artifact not found}. */
    public PluginArtifact getArtifact(String plugin, String version, String artifactName) {
        if (version == null || version.isBlank()) {
            throw new InvalidArgumentException("version query required");
        }
        return store.read(tx -> tx.artifacts().get(plugin, version.trim(), artifactName))
                .map(PluginRegistry::toArtifact)
                .orElseThrow(() -> new NotFoundException("artifact not found"));
    }

    /** Deletes one version or all; succeeds when nothing matched. */
    public void deleteArtifacts(String plugin, String version) {
        String v = version == null || version.isBlank() ? null : version.trim();
        store.write(tx -> tx.artifacts().delete(plugin, v));
    }

    private void put(Plugin p) {
        Map<String, Plugin> next = new TreeMap<>(plugins);
        next.put(p.name(), p);
        plugins = java.util.Collections.unmodifiableMap(next);
    }

    /** Local boot media that exist must be regular files (api-and-cli.md §2.5 Chosen). */
    private static void checkLocalArtifacts(Manifest m) {
        List<String> urls = new ArrayList<>();
        urls.add(m.rootfs().url());
        urls.add(m.initramfs().url());
        m.disks().forEach(d -> urls.add(d.source()));
        for (String u : urls) {
            String p = u.startsWith("file://") ? u.substring("file://".length()) : u;
            if (p.startsWith("/")) {
                Path path = Path.of(p);
                if (Files.exists(path) && !Files.isRegularFile(path)) {
                    throw new InvalidArgumentException("artifact path must be a regular file: " + p);
                }
            }
        }
    }

    private static Plugin toPlugin(PluginRow row, Manifest m) {
        return new Plugin(row.name(), row.version(), row.enabled(), withEnabled(m, row.enabled()), row.installedAt(),
                row.updatedAt());
    }

    private static Manifest bare(String name, String version) {
        return new Manifest("", name, version, "", null, null, null, "", "", null, null, null, null, null, null, null,
                true, "", null);
    }

    /** A copy of {@code m} with {@code enabled} set. */
    public static Manifest withEnabled(Manifest m, boolean enabled) {
        if (m.enabled() == enabled) {
            return m;
        }
        return new Manifest(m.schemaVersion(), m.name(), m.version(), m.runtime(), m.rootfs(), m.initramfs(), m.disks(),
                m.image(), m.imageDigest(), m.resources(), m.actions(), m.healthCheck(), m.workload(), m.cloudInit(),
                m.network(), m.devices(), enabled, m.openapi(), m.labels());
    }

    private static PluginArtifact toArtifact(ArtifactRow r) {
        return new PluginArtifact(r.id(), r.pluginName(), r.version(), r.artifactName(), r.kind(), r.sourceUrl(),
                r.checksum(), r.format(), r.localPath(), r.sizeBytes(), r.createdAt(), r.updatedAt());
    }
}
