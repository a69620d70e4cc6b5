package io.volant.volantd.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.VmConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 3: a deployment's stored config is decoded, normalized and validated once per revision, not on every
 * pass, status read and replica creation.
 */
class RevisionConfigsTest {
    @TempDir
    Path dir;
    Engine e;

    @BeforeEach
    void setUp() {
        e = new Engine(dir);
        e.install("caddy", 1, 128);
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    @Test
    void passes_reads_and_replica_creations_of_one_revision_decode_its_config_once() {
        DeploymentService deployments = e.volantd.deployments();
        RevisionConfigs configs = e.volantd.controller().configs();
        assertThat(deployments.create("web", 3, VmConfig.of("caddy", 1, 128)).readyReplicas()).isEqualTo(3);
        assertThat(deployments.scale("web", 6).readyReplicas()).isEqualTo(6);
        assertThat(deployments.scale("web", 2).readyReplicas()).isEqualTo(2);
        assertThat(deployments.list()).hasSize(1);
        assertThat(configs.decodes()).isEqualTo(1);

        deployments.update("web", null, VmConfig.of("caddy", 1, 256), null);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Deployment d = deployments.get("web");
            return d.revision() == 2 && d.updatedReplicas() == 2 && d.readyReplicas() == 2;
        });
        Deployment scaled = deployments.scale("web", 4);
        assertThat(scaled.updatedReplicas()).isEqualTo(4);
        assertThat(configs.decodes()).isEqualTo(2);
    }
}
