package io.volant.fledge.mapping;

import static io.volant.fledge.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingsTest {
    @TempDir Path work;
    @TempDir Path target;
    final Mappings mappings = new Mappings(Log.silent());

    @Test
    void ac_m8_prepare_yields_one_entry_per_mapping_with_source_destination_and_mode() throws Exception {
        write(work.resolve("test.txt"), "config");
        write(work.resolve("executable"), "#!/bin/sh\n", 0755);
        write(work.resolve("testdir/inner"), "x");
        List<Mappings.Entry> entries = mappings.prepare(Map.of("test.txt", "/etc/config.txt",
                "executable", "/bin/myapp", "testdir", "/opt/data"), work);
        assertThat(entries).hasSize(3).allSatisfy(e -> {
            assertThat(e.source().toString()).isNotEmpty();
            assertThat(e.destination()).isNotEmpty();
            assertThat(e.mode()).isNotZero();
        });
        assertThat(entries).extracting(Mappings.Entry::destination)
                .containsExactly("/bin/myapp", "/etc/config.txt", "/opt/data");
    }

    @Test
    void ac_m9_a_missing_source_is_an_error() {
        assertThatThrownBy(() -> mappings.prepare(Map.of("nope", "/x"), work))
                .isInstanceOf(FledgeException.class)
                .hasMessage("source file does not exist: " + work.resolve("nope"));
    }

    @Test
    void ac_m10_an_empty_mapping_set_yields_nothing() {
        assertThat(mappings.prepare(Map.of(), work)).isEmpty();
    }

    @Test
    void ac_m11_copy_file_creates_parents_keeps_content_and_sets_the_exact_mode() throws Exception {
        Path src = write(work.resolve("app"), "binary-ish", 0600);
        Path dst = target.resolve("a/b/c/app");
        Mappings.copyFile(src, dst, 0755);
        assertThat(dst).hasSameTextualContentAs(src);
        assertThat(Modes.mode(dst)).isEqualTo(0755);
        assertThat(Modes.mode(target.resolve("a/b"))).isEqualTo(0755);
    }

    @Test
    void ac_m12_copy_directory_reproduces_nested_files() throws Exception {
        write(work.resolve("d/file1.txt"), "one");
        write(work.resolve("d/subdir/file2.txt"), "two");
        Mappings.copyDirectory(work.resolve("d"), target.resolve("out"));
        assertThat(target.resolve("out/file1.txt")).hasContent("one");
        assertThat(target.resolve("out/subdir/file2.txt")).hasContent("two");
    }

    @Test
    void ac_m13_apply_into_a_missing_target_dir_creates_the_file() throws Exception {
        write(work.resolve("file"), "payload");
        Path root = target.resolve("not-yet");
        mappings.apply(mappings.prepare(Map.of("file", "/bin/app"), work), new StagingRoot(root), new TempDirs(target));
        assertThat(root.resolve("bin/app")).hasContent("payload");
        assertThat(Modes.mode(root.resolve("bin/app"))).isEqualTo(0755);
    }

    @Test
    void directory_copies_recreate_symlinks_instead_of_following_them() throws Exception {
        write(work.resolve("d/real.txt"), "real");
        Files.createSymbolicLink(work.resolve("d/link.txt"), Path.of("real.txt"));
        Files.createSymbolicLink(work.resolve("d/abs"), Path.of("/etc/hostname"));
        StagingRoot root = new StagingRoot(target);
        mappings.apply(mappings.prepare(Map.of("d", "/srv/"), work), root, new TempDirs(target));
        assertThat(Files.isSymbolicLink(target.resolve("srv/link.txt"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("srv/abs"))).isEqualTo(Path.of("/etc/hostname"));
    }

    @Test
    void writes_through_an_absolute_in_image_symlink_stay_inside_the_staging_root() throws Exception {
        // /bin -> /usr/bin inside the image must not mean the build host's /usr/bin.
        Path root = target.resolve("root");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("/usr/bin"));
        Path outside = target.resolve("outside");
        Files.createDirectories(outside);
        Files.createSymbolicLink(root.resolve("escape"), Path.of("../../outside"));
        write(work.resolve("tool"), "t");
        mappings.apply(mappings.prepare(Map.of("tool", "/bin/tool"), work), new StagingRoot(root), new TempDirs(target));
        mappings.apply(mappings.prepare(Map.of("tool", "/escape/tool"), work), new StagingRoot(root), new TempDirs(target));
        assertThat(root.resolve("usr/bin/tool")).hasContent("t");
        assertThat(root.resolve("outside/tool")).hasContent("t");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void a_mapping_onto_an_existing_symlink_replaces_the_link_not_its_target() throws Exception {
        Path root = target.resolve("root");
        write(root.resolve("bin/busybox"), "busybox");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        write(work.resolve("mysh"), "mine", 0755);
        mappings.apply(mappings.prepare(Map.of("mysh", "/bin/sh"), work), new StagingRoot(root), new TempDirs(target));
        assertThat(root.resolve("bin/busybox")).hasContent("busybox");
        assertThat(Files.isSymbolicLink(root.resolve("bin/sh"))).isFalse();
        assertThat(root.resolve("bin/sh")).hasContent("mine");
    }

    @Test
    void mappings_apply_sorted_by_destination_so_later_children_win_over_parent_directories() throws Exception {
        write(work.resolve("conf/app.conf"), "from-dir");
        write(work.resolve("override.conf"), "from-file");
        Map<String, String> m = new TreeMap<>(Map.of("override.conf", "/etc/app/app.conf", "conf", "/etc/app"));
        Path root = target.resolve("root");
        mappings.apply(mappings.prepare(m, work), new StagingRoot(root), new TempDirs(target));
        assertThat(root.resolve("etc/app/app.conf")).hasContent("from-file");
    }
}
