package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.network.TapNames;
import io.volant.volantd.testing.GuestFixture;
import io.volant.volantd.testing.RealVmCase;
import io.volant.volantd.testing.NetnsFixture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole daemon as shipped (a separate volantd JVM, configured by environment only) with the QEMU backend inside a
 * fresh network namespace ({@code VOLANT_NETNS}): a plugin whose initramfs is the busybox test guest is installed
 * and a VM created over HTTP; the guest's page comes back through the API's agent proxy (netns-aware transport) and
 * its boot output and shell through the console WebSocket (the host's console hub); deleting it over HTTP leaves no
 * QEMU process, tap, lease or socket behind. One VM boot (TCG).
 */
class QemuDaemonVmTest extends RealVmCase {
    private static final String BRIDGE = "vbrwire";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void a_vm_created_over_http_serves_its_agent_port_and_console_and_delete_cleans_up() throws Exception {
        try (NetnsFixture ns = new NetnsFixture(null, null)) {
            Map<String, String> env = GuestFixture.daemonEnv(dir, BRIDGE, "10.231.19", ns.name);
            long pid;
            try (ChildVolantd volantd = ChildVolantd.spawn(env)) {
                Api api = QemuDaemonSteps.awaitApi(volantd);
                int port = volantd.listeningPort();
                assertThat(ns.exec("ip", "-o", "addr", "show", "dev", BRIDGE)).contains("10.231.19.1/24");

                QemuDaemonSteps.installBusyweb(api, initramfs);
                Api.Resp created = api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"busyweb\"}");
                assertThat(created.status()).as("%s", created).isBetween(200, 202);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        "running".equals(api.get("/api/v1/vms/web").json().path("status").asText()));
                pid = api.get("/api/v1/vms/web").json().path("pid").asLong();
                assertThat(pid).isPositive();

                // Agent proxy → launcher transport → ip netns exec … socat → guest port 8080.
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        api.get("/api/v1/vms/web/agent/index.html").status() == 200);
                assertThat(api.get("/api/v1/vms/web/agent/index.html").body()).isEqualTo("ok\n");

                // Console WebSocket → host console hub: the ring buffer's boot output, then the shell answers.
                try (GuestConsole console = GuestConsole.open(api.client(), port, "web")) {
                    console.awaitText(Duration.ofSeconds(30), t -> t.contains(GuestFixture.BOOT_MARKER));
                    console.type("echo wire-$((6*7))");
                    console.awaitText(Duration.ofSeconds(30), t -> t.contains("wire-42"));
                }

                assertThat(api.delete("/api/v1/vms/web").status()).isBetween(200, 204);
                assertThat(api.get("/api/v1/vms/web").status()).isEqualTo(404);

                volantd.terminate();
                assertThat(volantd.waitFor(Duration.ofSeconds(60))).isZero();
            }

            GuestFixture.assertNothingLeft(dir, ns, pid, TapNames.of("web"));
        }
    }
}
