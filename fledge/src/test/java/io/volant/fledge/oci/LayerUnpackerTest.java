package io.volant.fledge.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.mapping.Modes;
import io.volant.fledge.testing.OciFixture;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.ProcessCommandRunner;
import io.volant.fledge.util.TempDirs;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    @TempDir Path dir;

    static OciFixture image() throws Exception {
        return new OciFixture()
                .layer(l -> l.dir("etc", 0755).file("etc/a", 0644, 0, 0, "a").file("etc/b", 0644, 0, 0, "b")
                        .dir("data", 0755).file("data/x", 0644, 0, 0, "x").file("data/y", 0644, 0, 0, "y")
                        .dir("usr", 0755).dir("usr/bin", 0755)
                        .file("usr/bin/app", 04755, 1000, 1001, "app", Map.of("user.note", "hi"))
                        .hardlink("usr/bin/app2", "usr/bin/app")
                        .symlink("bin", "usr/bin")
                        .dir("secret", 0700).file("secret/key", 0600, 1000, 1001, "k")
                        .dir("ro", 0555).file("ro/f", 0444, 0, 0, "f")
                        .dir("dev", 0755).charDevice("dev/zero", 0666, 1, 5))
                .layer(l -> l.whiteout("etc/.wh.a").whiteout("data/.wh..wh..opq").file("data/z", 0644, 0, 0, "z")
                        .file("bin/viaLink", 0755, 0, 0, "through the link"))
                .config(List.of("/usr/bin/app"), List.of("--serve"), List.of("PATH=/usr/bin", "MODE=prod"), "/srv", "8080/tcp");
    }

    Ownership unpack(Path root, boolean asRoot) throws Exception {
        Path layout = image().write(dir.resolve("layout"), "latest");
        OciLayout.Image img = new OciLayout(layout).resolve("");
        Ownership own = new Ownership();
        TempDirs temps = new TempDirs(dir.resolve("tmp"));
        LayerUnpacker u = new LayerUnpacker(root, own, asRoot, new ProcessCommandRunner(temps, Log.silent()), temps, Log.silent());
        for (OciLayout.Layer l : img.layers()) {
            u.apply(l.blob());
        }
        u.finish();
        return own;
    }

    @Test
    void whiteouts_remove_lower_files_and_opaque_dirs_hide_lower_contents() throws Exception {
        Path root = dir.resolve("root");
        unpack(root, false);
        assertThat(root.resolve("etc/a")).doesNotExist();
        assertThat(root.resolve("etc/b")).hasContent("b");
        try (var s = Files.list(root.resolve("data"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("z");
        }
    }

    @Test
    void modes_links_and_hard_links_are_preserved() throws Exception {
        Path root = dir.resolve("root");
        unpack(root, false);
        assertThat(Modes.mode(root.resolve("usr/bin/app"))).isEqualTo(04755);
        assertThat(Modes.mode(root.resolve("secret"))).isEqualTo(0700);
        assertThat(Modes.mode(root.resolve("ro"))).isEqualTo(0555);
        assertThat(Files.readSymbolicLink(root.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(root.resolve("usr/bin/viaLink")).hasContent("through the link");
        Object ino1 = Files.getAttribute(root.resolve("usr/bin/app"), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Object ino2 = Files.getAttribute(root.resolve("usr/bin/app2"), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        assertThat(ino2).isEqualTo(ino1);
    }

    @Test
    void without_root_owners_devices_and_xattrs_are_recorded_for_the_image_maker() throws Exception {
        Ownership own = unpack(dir.resolve("root"), false);
        assertThat(own.owners()).containsEntry("/usr/bin/app", new Ownership.Owner(1000, 1001))
                .containsEntry("/secret/key", new Ownership.Owner(1000, 1001));
        assertThat(own.specials()).containsEntry("/dev/zero", new Ownership.Special('c', 0666, 1, 5));
        assertThat(own.xattrs().get("/usr/bin/app")).containsKey("user.note");
        assertThat(dir.resolve("root/dev/zero")).doesNotExist();
        assertThat(own.allRoot()).isFalse();
    }

    @Test
    void as_root_owners_and_device_nodes_go_on_disk() throws Exception {
        io.volant.testing.HostRequirements.require(Privileges.isRoot(), "needs root");
        Path root = dir.resolve("root");
        unpack(root, true);
        assertThat(Files.getAttribute(root.resolve("usr/bin/app"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(root.resolve("usr/bin/app"), "unix:gid")).isEqualTo(1001);
        assertThat(Files.getAttribute(root.resolve("dev/zero"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isNotEqualTo(0L);
    }

    @Test
    void an_entry_escaping_the_root_is_rejected() {
        assertThatThrownBy(() -> LayerUnpacker.guestPath("../../etc/passwd")).hasMessageContaining("escapes the image root");
        assertThat(LayerUnpacker.guestPath("./a//b/")).isEqualTo("/a/b");
    }

    @Test
    void the_image_config_gives_entrypoint_env_workdir_and_port() throws Exception {
        Path layout = image().write(dir.resolve("layout"), "v1");
        var info = OciLayout.info("oci:layout:v1", new OciLayout(layout).resolve("v1"));
        assertThat(info.entrypoint()).containsExactly("/usr/bin/app", "--serve");
        assertThat(info.env()).containsEntry("MODE", "prod");
        assertThat(info.workdir()).isEqualTo("/srv");
        assertThat(info.port()).isEqualTo(8080);
        assertThatThrownBy(() -> new OciLayout(layout).resolve("v2")).hasMessageContaining("tag 'v2' not found");
    }

    @Test
    void pseudo_definitions_carry_modes_owners_and_devices_for_non_root_squashfs_builds() throws Exception {
        Path root = dir.resolve("root");
        Ownership own = unpack(root, false);
        Path pseudo = dir.resolve("pseudo");
        new FsImages(null, null, Log.silent(), false).writePseudo(root, own, pseudo);
        assertThat(Files.readAllLines(pseudo)).contains("/usr/bin/app m 4755 1000 1001", "/etc/b m 644 0 0",
                "/dev/zero c 666 0 0 1 5", "/ m 755 0 0").noneMatch(l -> l.startsWith("/bin "));
    }
}
