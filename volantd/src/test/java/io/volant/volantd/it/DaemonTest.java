package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The volantd process (api-and-cli.md §4, AC-D*): flags, configuration failures, exit codes, signals. */
class DaemonTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private int run(Map<String, String> env, String... args) throws Exception {
        try (ChildVolantd child = ChildVolantd.spawn(env, args)) {
            int code = child.waitFor(Duration.ofSeconds(60));
            last = String.join("\n", child.output());
            return code;
        }
    }

    private String last = "";

    @Test
    void version_help_and_bad_arguments() throws Exception {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(last).startsWith("volantd ");
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(last).contains("VOLANT_API_KEY").contains("VOLANT_RUNTIME_BACKEND");
        assertThat(run(Map.of(), "--nope")).isEqualTo(2);
        assertThat(last).contains("Usage");
    }

    @Test
    void invalid_configuration_exits_1_naming_the_value() throws Exception {
        var env = new java.util.HashMap<>(volantd.environment());
        env.put("VOLANT_SUBNET", "bad");
        assertThat(run(env)).isEqualTo(1);
        assertThat(last).contains("load config").contains("invalid subnet cidr \\\"bad\\\"");
        env.put("VOLANT_SUBNET", "192.168.127.0/24");
        env.put("VOLANT_HOST_IP", "10.0.0.1");
        assertThat(run(env)).isEqualTo(1);
        assertThat(last).contains("host IP 10.0.0.1 not in subnet 192.168.127.0/24");
        env.remove("VOLANT_HOST_IP");
        env.remove("VOLANT_RUNTIME_BACKEND");
        String bz = volantd.dir().resolve("kernel/bzImage").toString();
        String vm = volantd.dir().resolve("kernel/vmlinux").toString();
        env.put("VOLANT_KERNEL_BZIMAGE", bz);
        env.put("VOLANT_KERNEL_VMLINUX", vm);
        assertThat(run(env)).isEqualTo(1);
        assertThat(last).contains("load config").contains("no kernel images found: expected bzImage at " + bz
                + " or vmlinux at " + vm);
        env.put("VOLANT_RUNTIME_BACKEND", "simulated");
        env.put("VOLANT_API_ALLOW_CIDR", "10.0.0.0/33");
        assertThat(run(env)).isEqualTo(1);
        assertThat(last).contains("invalid CIDR in VOLANT_API_ALLOW_CIDR: 10.0.0.0/33");
    }

    @Test
    void port_in_use_exits_1_and_sigterm_exits_0() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var env = new java.util.HashMap<>(volantd.environment());
            env.put("VOLANT_API_LISTEN", "127.0.0.1:" + taken.getLocalPort());
            assertThat(run(env)).isEqualTo(1);
            assertThat(last).contains("daemon exit");
        }
        var env = new java.util.HashMap<>(volantd.environment());
        env.remove("VOLANT_API_LISTEN");
        env.put("VOLANT_API_LISTEN_ADDR", "127.0.0.1:0");
        try (ChildVolantd child = ChildVolantd.spawn(env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> child.listeningPort() > 0);
            Api api = new Api("http://127.0.0.1:" + child.listeningPort());
            assertThat(api.get("/healthz").status()).isEqualTo(200);
            assertThat(api.get("/api/v1/system/info").json().path("api_listen_addr").asText()).isEqualTo("127.0.0.1:0");
            child.terminate();
            assertThat(child.waitFor(Duration.ofSeconds(20))).isZero();
        }
    }
}
