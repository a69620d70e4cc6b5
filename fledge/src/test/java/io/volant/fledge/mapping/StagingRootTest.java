package io.volant.fledge.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.util.FledgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §4.7: guest paths resolve with symlinks interpreted inside the staging root, never onto the build host. */
class StagingRootTest {
    @TempDir
    Path dir;

    @Test
    void an_absolute_link_restarts_at_the_root_for_lookups_and_for_creation() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/tmp-host-etc"));
        StagingRoot staging = new StagingRoot(root);

        assertThat(staging.resolveDirectory("/etc/app")).isEqualTo(root.resolve("tmp-host-etc/app"));
        Path made = staging.mkdirs("/etc/app/conf.d");
        assertThat(made).isEqualTo(root.resolve("tmp-host-etc/app/conf.d")).isDirectory();
        assertThat(Path.of("/tmp-host-etc")).doesNotExist();
    }

    @Test
    void dot_dot_in_a_link_stops_at_the_root() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("usr"));
        Files.createSymbolicLink(root.resolve("usr/escape"), Path.of("../../../../outside"));
        StagingRoot staging = new StagingRoot(root);

        assertThat(staging.resolveParentFollowing("/usr/escape/file")).isEqualTo(root.resolve("outside/file"));
        assertThat(staging.resolveParentFollowingCreating("/usr/escape/file")).isEqualTo(root.resolve("outside/file"));
        assertThat(root.resolve("outside")).isDirectory();
        assertThat(dir.resolve("outside")).doesNotExist();
    }

    @Test
    void a_link_loop_is_an_error_naming_the_path_for_lookups_and_for_creation() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        StagingRoot staging = new StagingRoot(root);

        assertThatThrownBy(() -> staging.resolveDirectory("/a/x")).isInstanceOf(FledgeException.class)
                .hasMessage("too many levels of symbolic links resolving a/x");
        assertThatThrownBy(() -> staging.mkdirs("/a/x")).isInstanceOf(FledgeException.class)
                .hasMessage("too many levels of symbolic links resolving /a/x");
    }

    @Test
    void creating_through_a_regular_file_is_refused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("file"), "x");
        assertThatThrownBy(() -> new StagingRoot(root).mkdirs("/file/sub")).isInstanceOf(FledgeException.class)
                .hasMessage("cannot create directory /file/sub: /file exists and is not a directory");
    }
}
