package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte copies of the upstream example manifests (shared/spec/upstream) parse, normalize and validate. */
class UpstreamExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CADDY, Fixtures.NGINX})
    void test_resource_copies_match_the_shared_spec_when_it_is_reachable(String file) throws Exception {
        Optional<Path> spec = Fixtures.sharedSpec();
        assumeThat(spec).as("shared/spec above the module directory").isPresent();
        assertThat(Fixtures.resource(file)).isEqualTo(Files.readString(spec.get().resolve("upstream").resolve(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CADDY, Fixtures.NGINX})
    void example_parses_normalizes_validates_and_gets_the_forced_labels(String file) {
        Manifest n = Manifests.normalizeAndValidate(Manifests.parse(Fixtures.resource(file)));
        assertThat(n.labels())
                .containsEntry("volant.plugin", n.name())
                .containsEntry("volant.runtime", n.runtime())
                .hasSize(2);
        assertThat(n.workload().type()).isEqualTo("http");
        assertThat(n.workload().baseUrl()).isEqualTo("http://127.0.0.1:80");
        assertThat(n.healthCheck()).isEqualTo(new HealthCheck("/", 10000));
        assertThat(n.enabled()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CADDY, Fixtures.NGINX})
    void example_survives_a_json_round_trip_after_normalization(String file) {
        Manifest n = Manifests.normalize(Manifests.parse(Fixtures.resource(file)));
        assertThat(Manifests.parse(Manifests.toJson(n))).isEqualTo(n);
        assertThat(Manifests.toJson(n)).doesNotContain("$schema");
    }

    @org.junit.jupiter.api.Test
    void caddy_is_an_initramfs_plugin_and_nginx_a_rootfs_plugin() {
        Manifest caddy = Manifests.normalize(Manifests.parse(Fixtures.resource(Fixtures.CADDY)));
        Manifest nginx = Manifests.normalize(Manifests.parse(Fixtures.resource(Fixtures.NGINX)));
        assertThat(caddy.initramfs().checksum()).isEqualTo(Fixtures.SHA);
        assertThat(caddy.rootfs()).isEqualTo(new RootFs("", "", "raw"));
        assertThat(caddy.workload().entrypoint()).containsExactly("/usr/bin/caddy", "run", "--config", "/etc/caddy/Caddyfile");
        assertThat(nginx.rootfs().url()).endsWith("/nginx.img");
        assertThat(nginx.rootfs().format()).isEqualTo("raw");
        assertThat(nginx.initramfs().isSet()).isFalse();
        assertThat(nginx.image()).isEqualTo("nginx:latest");
        assertThat(nginx.workload().entrypoint()).containsExactly("/docker-entrypoint.sh", "nginx", "-g", "daemon off;");
    }
}
