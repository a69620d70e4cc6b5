package io.volant.fledge.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.config.FledgeConfig.FilesystemConfig;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.ProcessCommandRunner;
import io.volant.fledge.util.TempDirs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The non-root path: owners, device nodes and xattrs that were only recorded (never put on disk) still reach the
 * image — through the mksquashfs pseudo file and the debugfs pass.
 */
class FsImagesTest {
    @TempDir Path dir;

    Ownership unpackRecorded(Path root, TempDirs temps) throws Exception {
        Path layout = LayerUnpackerTest.image().write(dir.resolve("layout"), "latest");
        Ownership own = new Ownership();
        LayerUnpacker u = new LayerUnpacker(root, own, false, new ProcessCommandRunner(temps, Log.silent()), temps, Log.silent());
        for (OciLayout.Layer l : new OciLayout(layout).resolve("").layers()) {
            u.apply(l.blob());
        }
        u.finish();
        return own;
    }

    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void a_non_root_squashfs_build_replays_recorded_owners_and_devices() throws Exception {
        TempDirs temps = new TempDirs(dir.resolve("tmp"));
        Path root = dir.resolve("root");
        Ownership own = unpackRecorded(root, temps);
        Path img = dir.resolve("x.squashfs");
        new FsImages(new ProcessCommandRunner(temps, Log.silent()), temps, Log.silent(), false)
                .make(FilesystemConfig.defaults(), root, own, img, "x");
        String listing = run("unsquashfs", "-lln", img.toString());
        assertThat(listing).containsPattern("-rwsr-xr-x 1000/1001 .*squashfs-root/usr/bin/app")
                .containsPattern("crw-rw-rw- 0/0 .*squashfs-root/dev/zero")
                .containsPattern("-rw-r--r-- 0/0 .*squashfs-root/etc/b");
    }

    @Test
    void a_non_root_ext4_build_replays_recorded_owners_devices_and_xattrs() throws Exception {
        TempDirs temps = new TempDirs(dir.resolve("tmp"));
        Path root = dir.resolve("root");
        Ownership own = unpackRecorded(root, temps);
        Path img = dir.resolve("x.img");
        new FsImages(new ProcessCommandRunner(temps, Log.silent()), temps, Log.silent(), false)
                .make(new FilesystemConfig("ext4", 4, false, 0, ""), root, own, img, "x");
        assertThat(run("debugfs", "-R", "stat /usr/bin/app", img.toString()))
                .containsPattern("User: +1000 +Group: +1001").contains("Mode:  04755");
        assertThat(run("debugfs", "-R", "stat /dev/zero", img.toString()))
                .contains("Type: character special").containsPattern("Device major/minor number: 0*1:0*5");
        assertThat(run("debugfs", "-R", "ea_list /usr/bin/app", img.toString())).contains("user.note");
        assertThat(run("debugfs", "-R", "stat /etc/b", img.toString())).containsPattern("User: +0 +Group: +0");
        temps.close();
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void xz_dictionary_follows_the_compression_level() {
        assertThat(FsImages.dictSize(1)).isEqualTo("25%");
        assertThat(FsImages.dictSize(15)).isEqualTo("50%");
        assertThat(FsImages.dictSize(22)).isEqualTo("100%");
    }
}
