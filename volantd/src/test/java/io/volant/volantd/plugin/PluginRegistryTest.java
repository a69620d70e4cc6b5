package io.volant.volantd.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write-through registry and artifacts (control-plane.md §5.3-§5.4). */
class PluginRegistryTest {
    @TempDir
    Path dir;
    Store store;
    PluginRegistry registry;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state.db"));
        registry = new PluginRegistry(store);
        registry.load();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Manifest manifest(String name, boolean enabled) {
        return Manifests.parse("{\"schema_version\":\"1.0\",\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"runtime\":\"" + name
                + "\",\"enabled\":" + enabled + ",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128},"
                + "\"initramfs\":{\"url\":\"/var/lib/volant/x.cpio.gz\"},"
                + "\"workload\":{\"type\":\"http\",\"base_url\":\"http://127.0.0.1:80\",\"entrypoint\":[\"/bin/x\"]}}");
    }

    @Test
    void install_enables_the_plugin_everywhere_and_survives_a_reload() {
        Plugin p = registry.install(manifest("zeta", false));
        assertThat(p.enabled()).isTrue();
        assertThat(p.manifest().enabled()).isTrue();
        registry.install(manifest("alpha", true));
        assertThat(registry.list()).extracting(Plugin::name).containsExactly("alpha", "zeta");
        PluginRegistry again = new PluginRegistry(store);
        again.load();
        assertThat(again.get("zeta").enabled()).isTrue();
        assertThat(again.manifest("zeta").name()).isEqualTo("zeta");
    }

    @Test
    void disable_and_remove_take_effect_at_once() {
        registry.install(manifest("caddy", true));
        registry.setEnabled("caddy", false);
        assertThat(registry.get("caddy").enabled()).isFalse();
        assertThatThrownBy(() -> registry.manifest("caddy")).isInstanceOf(ConflictException.class).hasMessage("plugin disabled");
        PluginRegistry reloaded = new PluginRegistry(store);
        reloaded.load();
        assertThat(reloaded.get("caddy").enabled()).isFalse();
        registry.remove("caddy");
        assertThat(registry.find("caddy")).isEmpty();
        assertThatThrownBy(() -> registry.remove("caddy")).isInstanceOf(NotFoundException.class).hasMessage("plugin not found");
        assertThatThrownBy(() -> registry.setEnabled("caddy", true)).isInstanceOf(NotFoundException.class).hasMessage("plugin not found");
    }

    @Test
    void actions_resolve_by_plugin_and_name() {
        registry.install(Manifests.parse("{\"schema_version\":\"1.0\",\"name\":\"b\",\"version\":\"1\",\"runtime\":\"b\","
                + "\"resources\":{\"cpu_cores\":1,\"memory_mb\":64},\"initramfs\":{\"url\":\"/x.cpio\"},"
                + "\"actions\":{\"shot\":{\"method\":\"POST\",\"path\":\"/shot\"}},"
                + "\"workload\":{\"type\":\"http\",\"base_url\":\"http://127.0.0.1:80\",\"entrypoint\":[\"/b\"]}}"));
        assertThat(registry.resolveAction("b", "shot").path()).isEqualTo("/shot");
        assertThatThrownBy(() -> registry.resolveAction("b", "nope")).isInstanceOf(NotFoundException.class).hasMessage("action nope not found");
        assertThatThrownBy(() -> registry.resolveAction("zz", "shot")).isInstanceOf(NotFoundException.class).hasMessage("plugin zz not found");
    }

    @Test
    void invalid_manifests_are_refused_with_the_manifest_message() {
        Manifest noVersion = Manifests.parse("{\"name\":\"x\",\"runtime\":\"x\"}");
        assertThatThrownBy(() -> registry.install(noVersion)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("plugin manifest: version required");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void artifacts_upsert_list_get_and_delete() {
        registry.upsertArtifact("caddy", new ArtifactInput(" 1.0 ", "rootfs", "rootfs", "https://x/r.img", "sha256:ab", "raw", "", 10));
        registry.upsertArtifact("caddy", new ArtifactInput("2.0", "initramfs", "initramfs", "", "", "cpio", "", 0));
        registry.upsertArtifact("caddy", new ArtifactInput("1.0", "rootfs", "rootfs", "https://x/r2.img", "", "raw", "", 20));
        assertThat(registry.listArtifacts("caddy", null)).extracting(PluginArtifact::version, PluginArtifact::artifactName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2.0", "initramfs"), org.assertj.core.groups.Tuple.tuple("1.0", "rootfs"));
        PluginArtifact a = registry.getArtifact("caddy", "1.0", "rootfs");
        assertThat(a.sourceUrl()).isEqualTo("https://x/r2.img");
        assertThat(a.sizeBytes()).isEqualTo(20);
        assertThatThrownBy(() -> registry.getArtifact("caddy", "", "rootfs")).hasMessage("version query required");
        assertThatThrownBy(() -> registry.getArtifact("caddy", "3.0", "rootfs")).isInstanceOf(NotFoundException.class)
                .hasMessage("artifact not found");
        assertThatThrownBy(() -> registry.upsertArtifact("caddy", new ArtifactInput("", "x", "", "", "", "", "", 0)))
                .hasMessage("version and artifact_name required");
        registry.deleteArtifacts("caddy", "1.0");
        assertThat(registry.listArtifacts("caddy", "")).hasSize(1);
        registry.deleteArtifacts("caddy", null);
        registry.deleteArtifacts("caddy", null);
        assertThat(registry.listArtifacts("caddy", null)).isEmpty();
    }
}
