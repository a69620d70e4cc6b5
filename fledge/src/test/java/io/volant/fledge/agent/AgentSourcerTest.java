package io.volant.fledge.agent;

import static io.volant.fledge.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.config.FledgeConfig.AgentConfig;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.testing.FakeHttp;
import io.volant.fledge.testing.Fixtures;
import io.volant.manifest.Checksums;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSourcerTest {
    @TempDir Path work;
    @TempDir Path tmp;
    final FakeHttp http = new FakeHttp();

    AgentSourcer sourcer(Optional<Path> bundle) {
        return new AgentSourcer(http, tmp, bundle, Log.silent());
    }

    static AgentConfig local(String path) {
        return new AgentConfig("local", "", path, "", "", "", "", "");
    }

    @Test
    void ac_a1_local_returns_a_separate_executable_copy_with_identical_content() throws Exception {
        Path agent = write(work.resolve("kestrel"), "agent-bytes", 0644);
        SourcedAgent s = sourcer(Optional.empty()).source(local("kestrel"), work);
        assertThat(s.path()).isNotEqualTo(agent).exists().hasSameBinaryContentAs(agent);
        assertThat(Modes.mode(s.path()) & 0100).isNotZero();
        assertThat(s.path().getParent()).isEqualTo(tmp);
    }

    @Test
    void ac_a2_local_with_a_missing_path_is_an_error() {
        assertThatThrownBy(() -> sourcer(Optional.empty()).source(local("missing"), work))
                .hasMessage("agent path does not exist: " + work.resolve("missing"));
    }

    @Test
    void ac_a3_local_with_a_directory_is_an_error() throws Exception {
        Files.createDirectories(work.resolve("dir"));
        assertThatThrownBy(() -> sourcer(Optional.empty()).source(local("dir"), work))
                .hasMessage("agent path is a directory, expected a file: " + work.resolve("dir"));
    }

    @Test
    void ac_a4_a_nil_configuration_is_an_error() {
        assertThatThrownBy(() -> sourcer(Optional.empty()).source(null, work)).hasMessage("agent configuration is nil");
    }

    @Test
    void ac_a5_an_unknown_strategy_is_an_error() {
        assertThatThrownBy(() -> sourcer(Optional.empty())
                .source(new AgentConfig("invalid_strategy", "", "", "", "", "", "", ""), work))
                .hasMessage("unknown agent source strategy: invalid_strategy");
    }

    @Test
    void ac_a6_cleanup_deletes_a_file_directly_in_the_temp_dir() throws Exception {
        Path f = write(tmp.resolve("fledge-agent-123"), "x");
        sourcer(Optional.empty()).cleanup(f);
        assertThat(f).doesNotExist();
    }

    @Test
    void ac_a7_cleanup_keeps_a_file_in_a_subdirectory_of_the_temp_dir() throws Exception {
        Path f = write(tmp.resolve("sub/fledge-agent-123"), "x");
        sourcer(Optional.empty()).cleanup(f);
        assertThat(f).exists();
    }

    @Test
    void cleanup_never_deletes_a_users_file() throws Exception {
        Path f = write(work.resolve("kestrel"), "x");
        sourcer(Optional.empty()).cleanup(f);
        assertThat(f).exists();
    }

    @Test
    void http_downloads_and_verifies_the_checksum() {
        http.serve("http://agents.test/kestrel", "agent");
        String sum = Checksums.sha256Hex("agent".getBytes());
        SourcedAgent s = sourcer(Optional.empty())
                .source(new AgentConfig("http", "", "", "http://agents.test/kestrel", "sha256:" + sum, "", "", ""), work);
        assertThat(s.path()).hasContent("agent");
        assertThat(Modes.mode(s.path())).isEqualTo(0755);
    }

    @Test
    void http_with_a_wrong_checksum_fails_and_leaves_no_temp_file() {
        http.serve("http://agents.test/kestrel", "agent");
        assertThatThrownBy(() -> sourcer(Optional.empty())
                .source(new AgentConfig("http", "", "", "http://agents.test/kestrel", "0".repeat(64), "", "", ""), work))
                .isInstanceOf(FledgeException.class).hasMessageStartingWith("checksum mismatch:");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void http_non_200_reports_the_status() {
        assertThatThrownBy(() -> sourcer(Optional.empty())
                .source(new AgentConfig("http", "", "", "http://agents.test/missing", "", "", "", ""), work))
                .hasMessageStartingWith("download failed with status 404: ");
    }

    @Test
    void release_without_repository_uses_the_bundled_agent_without_downloading() throws Exception {
        Path bundle = Fixtures.fakeBundle(work);
        SourcedAgent s = sourcer(Optional.of(bundle)).source(AgentConfig.releaseLatest(), work);
        assertThat(s).isEqualTo(new SourcedAgent(bundle, true));
        assertThat(http.requested()).isEmpty();
    }

    @Test
    void release_without_repository_and_without_bundle_says_how_to_get_one() {
        assertThatThrownBy(() -> sourcer(Optional.empty()).source(AgentConfig.releaseLatest(), work))
                .hasMessageStartingWith("agent bundle not found");
    }

    @Test
    void release_with_a_repository_takes_the_configured_asset_from_the_api() {
        http.serve("http://api.test/repos/acme/agent/releases/tags/v2", """
                {"tag_name":"v2","assets":[{"name":"other","browser_download_url":"http://dl.test/other"},
                {"name":"kestrel-java","browser_download_url":"http://dl.test/k"}]}""");
        http.serve("http://dl.test/k", "java-agent");
        SourcedAgent s = sourcer(Optional.empty()).source(
                new AgentConfig("release", "v2", "", "", "", "acme/agent", "kestrel-java", "http://api.test"), work);
        assertThat(s.path()).hasContent("java-agent");
    }

    @Test
    void release_reports_api_errors_and_missing_assets() {
        http.status("http://api.test/repos/acme/agent/releases/latest", 403, "rate limited");
        assertThatThrownBy(() -> sourcer(Optional.empty()).source(
                new AgentConfig("release", "latest", "", "", "", "acme/agent", "", "http://api.test"), work))
                .hasMessage("GitHub API returned status 403: rate limited");
        http.serve("http://api.test/repos/acme/agent/releases/tags/v1", "{\"tag_name\":\"v1\",\"assets\":[]}");
        assertThatThrownBy(() -> sourcer(Optional.empty()).source(
                new AgentConfig("release", "v1", "", "", "", "acme/agent", "", "http://api.test"), work))
                .hasMessage("kestrel binary not found in release v1");
    }

    @Test
    void a_bundle_installs_under_opt_volant_agent_with_bin_kestrel_linked_to_its_launcher() throws Exception {
        Path bundle = Fixtures.fakeBundle(work);
        Path root = tmp.resolve("root");
        AgentInstaller.install(new SourcedAgent(bundle, true), new StagingRoot(root));
        assertThat(root.resolve("opt/volant/agent/bin/kestrel")).hasSameTextualContentAs(bundle.resolve("bin/kestrel"));
        assertThat(Modes.mode(root.resolve("opt/volant/agent/bin/kestrel"))).isEqualTo(0755);
        assertThat(Files.readSymbolicLink(root.resolve("bin/kestrel"))).isEqualTo(Path.of("/opt/volant/agent/bin/kestrel"));
    }

    @Test
    void a_single_file_agent_becomes_bin_kestrel_even_when_bin_is_a_link() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Path agent = write(work.resolve("k"), "agent", 0600);
        AgentInstaller.install(new SourcedAgent(agent, false), new StagingRoot(root));
        assertThat(root.resolve("usr/bin/kestrel")).hasContent("agent");
        assertThat(Modes.mode(root.resolve("usr/bin/kestrel"))).isEqualTo(0755);
    }
}
