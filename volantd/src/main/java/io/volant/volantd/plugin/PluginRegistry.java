package io.volant.volantd.plugin;

import io.volant.manifest.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * Write-through plugin registry and artifact catalogue (control-plane.md §5). Every change updates the DB row
 * and the in-memory map in one critical section; enable/disable/remove take effect at once. Thread-safe.
 */
public final class PluginRegistry {

    /** Normalizes, validates (400 with the manifest message), upserts enabled; returns the stored plugin. */
    public Plugin install(Manifest manifest) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** All plugins sorted by name. */
    public List<Plugin> list() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public Optional<Plugin> find(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The plugin or 404 {@code plugin not found}. */
    public Plugin get(String name) {
        return find(name).orElseThrow(() -> new io.volant.volantd.errors.NotFoundException("plugin not found"));
    }

    /** The manifest for guests: 404 {@code plugin not found}, 409 {@code plugin disabled}. */
    public Manifest manifest(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** 404 {@code plugin not found} for an unknown name. Existing VMs keep their embedded manifest. */
    public void remove(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** 404 {@code plugin not found} for an unknown name. */
    public Plugin setEnabled(String name, boolean enabled) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** 400 {@code version and artifact_name required}; insert or replace by (plugin, version, name). */
    public PluginArtifact upsertArtifact(String plugin, ArtifactInput input) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code version} null/blank = all versions (version desc, then name); else by name. */
    public List<PluginArtifact> listArtifacts(String plugin, String version) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** 400 {@code version query required}, 404 {@code artifact not found}. */
    public PluginArtifact getArtifact(String plugin, String version, String artifactName) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Deletes one version or all; succeeds when nothing matched. */
    public void deleteArtifacts(String plugin, String version) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
