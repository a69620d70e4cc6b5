package io.volant.volantd.cloudinit;

import io.volant.testing.HostRequirements;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatSeedBuilderTest {
    @TempDir
    Path dir;

    private final FatSeedBuilder builder = new FatSeedBuilder();

    @Test
    void seed_without_documents_has_label_cidata_and_default_files() throws Exception {
        HostRequirements.require(Cmd.available("mdir"), "mtools not installed");
        Path img = dir.resolve("web-seed.img");
        builder.build(new SeedInput("volant-7", "web", "", "", ""), img);

        String listing = Cmd.run("mdir", "-i", img.toString(), "::");
        assertThat(listing).contains("Volume in drive : is CIDATA");
        assertThat(listing).contains("meta-data").contains("user-data").doesNotContain("network-config");
        assertThat(Cmd.run("mtype", "-i", img.toString(), "::user-data")).isEqualTo("#cloud-config\n");
        assertThat(Cmd.run("mtype", "-i", img.toString(), "::meta-data"))
                .isEqualTo("instance-id: volant-7\nlocal-hostname: web\n");
        assertThat(Files.size(img)).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void network_config_is_written_and_inline_user_data_loses_its_trailing_newline() {
        HostRequirements.require(Cmd.available("mtype"), "mtools not installed");
        Path img = dir.resolve("seed.img");
        builder.build(new SeedInput("volant-8", "web", "#cloud-config\nruncmd: []\n", "", "version: 2"), img);

        assertThat(Cmd.run("mtype", "-i", img.toString(), "::network-config")).isEqualTo("version: 2");
        assertThat(Cmd.run("mtype", "-i", img.toString(), "::user-data")).isEqualTo("#cloud-config\nruncmd: []");
        // fsck exits non-zero on any inconsistency; the label entry counts as a fourth "file".
        assertThat(Cmd.run("fsck.vfat", "-n", img.toString())).contains("4 files, 3/32695 clusters");
    }

    @Test
    void ac_s4_linux_mounts_the_image_read_only_as_vfat_and_lists_the_files() throws Exception {
        HostRequirements.require(HostRequirements.root() && Cmd.available("unshare"), "needs root");
        // A property of the host kernel, not a tool CI installs: stays a plain skip (QemuVmTest covers it in a guest).
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.readString(Path.of("/proc/filesystems")).contains("vfat"),
                "host kernel without vfat (QemuVmTest mounts the seed inside a guest instead)");
        Path img = dir.resolve("seed.img");
        Path mnt = java.nio.file.Files.createDirectories(dir.resolve("mnt"));
        builder.build(new SeedInput("volant-3", "db", "", "", "version: 2"), img);

        // A private mount namespace: the mount disappears with the unshare process, nothing can leak.
        String ls = Cmd.run("unshare", "-m", "sh", "-c", "mount -t vfat -o loop,ro '" + img + "' '" + mnt
                + "' && ls '" + mnt + "' && cat '" + mnt + "/meta-data'");
        assertThat(ls).isEqualTo("meta-data\nnetwork-config\nuser-data\ninstance-id: volant-3\nlocal-hostname: db\n");
    }

    @Test
    void building_twice_gives_identical_bytes_with_mode_0600() throws Exception {
        Path a = dir.resolve("a.img");
        Path b = dir.resolve("b.img");
        SeedInput in = new SeedInput("volant-9", "db", "#cloud-config\npackages: [jq]", "", "");
        builder.build(in, a);
        builder.build(in, b);

        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
        assertThat(dir.resolve("a.img.part")).doesNotExist();
    }
}
