package io.volant.volantd.hypervisor.media;

import io.volant.testing.HostRequirements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.hypervisor.Backends;
import io.volant.volantd.testing.Cmd;
import io.volant.volantd.testing.GuestFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest kernel bundle's module archive (host-runtime.md §9.6, AC-Q5). */
class ModuleArchiveTest {
    private static final List<String> DEFAULTS = ModuleArchive.DEFAULT_MODULES;

    @TempDir
    Path dir;

    private Path ko(Path modules, String rel) throws Exception {
        Path p = modules.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "module " + rel);
        return p;
    }

    @Test
    void with_modules_dep_dependencies_load_last_entry_first_and_builtins_and_unknowns_are_skipped() throws Exception {
        Path m = dir.resolve("lib/modules/6.1.0-56-cloud-amd64");
        ko(m, "kernel/drivers/virtio/virtio_ring.ko");
        ko(m, "kernel/drivers/virtio/virtio.ko");
        ko(m, "kernel/drivers/virtio/virtio_pci.ko");
        ko(m, "kernel/fs/nls/nls_iso8859-1.ko");
        Files.writeString(m.resolve("modules.dep"), """
                kernel/drivers/virtio/virtio_ring.ko:
                kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
                kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
                kernel/fs/nls/nls_iso8859-1.ko:
                """);
        Files.writeString(m.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");

        assertThat(ModuleArchive.loadOrder(m, List.of("virtio_pci", "ext4", "nope", "nls_iso8859_1", "virtio")))
                .containsExactly("kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
                        "kernel/drivers/virtio/virtio_pci.ko", "kernel/fs/nls/nls_iso8859-1.ko");
    }

    @Test
    void archive_holds_the_modules_and_modules_load_and_is_cached_deterministically() throws Exception {
        HostRequirements.require(Cmd.available("cpio"), "needs cpio");
        Path m = dir.resolve("lib/modules/6.1.0-56-cloud-amd64");
        ko(m, "kernel/a/virtio.ko");
        Files.writeString(m.resolve("modules.dep"), "kernel/a/virtio.ko:\n");

        Path first = ModuleArchive.build(m, List.of("virtio"), dir.resolve("cache"));
        byte[] bytes = Files.readAllBytes(first);
        Files.delete(first);
        Path second = ModuleArchive.build(m, List.of("virtio"), dir.resolve("cache"));

        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllBytes(second)).isEqualTo(bytes);
        assertThat(first.getFileName().toString()).matches("modules-[0-9a-f]{64}\\.cpio\\.gz");
        String listing = Cmd.run("sh", "-c", "zcat '" + first + "' | cpio -t --quiet");
        assertThat(listing.lines()).contains("lib/modules/6.1.0-56-cloud-amd64/kernel/a/virtio.ko",
                "etc/volant/modules.load");
        String load = Cmd.run("sh", "-c", "cd '" + dir + "' && mkdir x && cd x && zcat '" + first
                + "' | cpio -id --quiet && cat etc/volant/modules.load");
        assertThat(load).isEqualTo("kernel/a/virtio.ko\n");
    }

    @Test
    void ac_q5_modinfo_order_of_the_real_bundle_matches_the_bundle_script_and_release_is_checked() throws Exception {
        HostRequirements.require(HostRequirements.root(), "needs root to fetch the kernel bundle");
        Path bundle = GuestFixture.kernelBundle();
        String release = Files.readString(bundle.resolve("release")).trim();
        Path modules = bundle.resolve("lib/modules").resolve(release);
        assumeTrue(!Files.exists(modules.resolve("modules.dep")), "bundle has modules.dep");

        assertThat(ModuleArchive.loadOrder(modules, DEFAULTS))
                .containsExactlyElementsOf(Files.readAllLines(bundle.resolve("modules.load")));

        Path wrong = Files.createDirectories(dir.resolve("lib/modules/6.1.0-99-x"));
        Map<String, String> env = Map.of("VOLANT_DB_PATH", dir.resolve("db").toString(),
                "VOLANT_RUNTIME_DIR", dir.resolve("run").toString(), "VOLANT_LOG_DIR", dir.resolve("logs").toString(),
                "VOLANT_GUEST_KERNEL", bundle.resolve("vmlinuz").toString(),
                "VOLANT_GUEST_MODULES_DIR", wrong.toString(), "VOLANT_RUNTIME_BACKEND", "qemu");
        assertThatThrownBy(() -> Backends.mediaSettingsForTest(ConfigLoader.load(env, dir.toString(), true)))
                .hasMessage("guest modules 6.1.0-99-x do not match kernel release " + release);
    }
}
