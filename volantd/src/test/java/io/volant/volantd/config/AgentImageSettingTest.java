package io.volant.volantd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code VOLANT_AGENT_IMAGE}: validated when set, else the first default location that holds a file. */
class AgentImageSettingTest {
    @TempDir
    Path dir;

    private VolantdConfig load(Map<String, String> env, List<Path> defaults) {
        return ConfigLoader.load(env, dir.toString(), false, defaults);
    }

    private Path squashfs(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "hsqs\u0000 an image");
    }

    @Test
    void a_set_readable_squashfs_is_taken() throws Exception {
        Path img = squashfs("agent.img");

        assertThat(load(Map.of("VOLANT_AGENT_IMAGE", img.toString()), List.of()).agentImage()).isEqualTo(img);
    }

    @Test
    void a_set_path_that_does_not_exist_fails_naming_the_setting() {
        Path img = dir.resolve("missing.img");

        assertThatThrownBy(() -> load(Map.of("VOLANT_AGENT_IMAGE", img.toString()), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid VOLANT_AGENT_IMAGE \"" + img + "\": not a readable file");
    }

    @Test
    void a_directory_is_not_a_readable_file() {
        assertThatThrownBy(() -> load(Map.of("VOLANT_AGENT_IMAGE", dir.toString()), List.of()))
                .hasMessage("invalid VOLANT_AGENT_IMAGE \"" + dir + "\": not a readable file");
    }

    @Test
    void a_file_that_is_not_a_squashfs_fails_naming_the_setting() throws Exception {
        Path img = Files.writeString(dir.resolve("agent.tar.gz"), "\u001f\u008b not squashfs");

        assertThatThrownBy(() -> load(Map.of("VOLANT_AGENT_IMAGE", img.toString()), List.of()))
                .hasMessage("invalid VOLANT_AGENT_IMAGE \"" + img
                        + "\": not a squashfs image (build it with scripts/build-agent-image.sh)");
    }

    @Test
    void unset_takes_the_first_default_location_that_exists() throws Exception {
        Path second = squashfs("installed.img");

        assertThat(load(Map.of(), List.of(dir.resolve("build/agent-bundle.img"), second)).agentImage())
                .isEqualTo(second);
        Path first = squashfs("built.img");
        assertThat(load(Map.of(), List.of(first, second)).agentImage()).isEqualTo(first);
    }

    @Test
    void unset_with_no_default_location_present_means_no_agent_image() {
        assertThat(load(Map.of("VOLANT_AGENT_IMAGE", " "), List.of(dir.resolve("none.img"))).agentImage()).isNull();
    }
}
