package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

/** Steps the real-VM tests of the shipped daemon share: wait for its API, install the busybox test plugin. */
final class QemuDaemonSteps {
    private QemuDaemonSteps() {}

    /** Waits until the child volantd listens (it must stay alive) and returns a client of its API. */
    static Api awaitApi(ChildVolantd volantd) {
        await().atMost(Duration.ofSeconds(60)).until(() -> volantd.listeningPort() > 0 || !volantd.alive());
        assertThat(volantd.alive()).as("volantd output: %s", volantd.output()).isTrue();
        return new Api("http://127.0.0.1:" + volantd.listeningPort());
    }

    /** Installs plugin {@code busyweb}: the busybox test guest of {@code GuestFixture}, 1 vCPU, 256 MiB. */
    static void installBusyweb(Api api, Path initramfs) {
        assertThat(api.post("/api/v1/plugins", """
                {"schema_version":"1.0","name":"busyweb","version":"0.1.0","runtime":"busyweb",
                 "resources":{"cpu_cores":1,"memory_mb":256},
                 "initramfs":{"url":"%s"},
                 "workload":{"type":"http","base_url":"http://127.0.0.1:8080","entrypoint":["/bin/httpd"]}}
                """.formatted(initramfs)).status()).isBetween(200, 201);
    }
}
