package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volar.fake.RecordingProxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures end in one clear stderr line and the specified exit code, never a stack trace (§5.1). */
class ErrorReportingTest {
    @TempDir
    Path dir;

    @Test
    void an_unreachable_server_is_one_line_naming_the_address() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = new Cli().api("http://127.0.0.1:" + port).run("deployments", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).matches("Error: cannot reach volantd at http://127\\.0\\.0\\.1:" + port + ": .+\n");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void a_wrong_api_key_gets_the_servers_message_and_the_right_key_works() throws Exception {
        try (RealVolantd real = new RealVolantd(dir, Map.of("VOLANT_API_KEY", "k"));
                RecordingProxy volantd = new RecordingProxy(real.base())) {
            Cli.Result wrong = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "nope").run("vms", "list");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).isEqualTo("Error: API key rejected by volantd (check VOLANT_API_KEY or --api-key)\n");

            Cli.Result none = new Cli().api(volantd.base()).run("plugins", "list");
            assertThat(none.err()).isEqualTo("Error: API key required (set VOLANT_API_KEY or --api-key)\n");

            Cli.Result right = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k").run("vms", "list");
            assertThat(right.exit()).as(right.err()).isZero();
            assertThat(right.err()).isEqualTo("No VMs found\n");
            Cli.Result flag = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "nope")
                    .run("vms", "list", "--api-key", "k");
            assertThat(flag.exit()).as(flag.err()).isZero();
            assertThat(volantd.requests().getLast().apiKeyHeader()).isEqualTo("k");
        }
    }

    @Test
    void an_unknown_vm_is_named_in_the_404_message() throws Exception {
        try (RealVolantd real = new RealVolantd(dir, Map.of());
                RecordingProxy volantd = new RecordingProxy(real.base())) {
            Cli cli = new Cli().api(volantd.base());

            Cli.Result get = cli.run("vms", "get", "ghost");
            assertThat(get.exit()).isEqualTo(1);
            assertThat(get.err()).isEqualTo("Error: VM ghost not found\n");

            Cli.Result delete = cli.run("vms", "delete", "ghost");
            assertThat(delete.err()).isEqualTo("Error: VM ghost not found\n");
            assertThat(delete.out()).isEmpty();
        }
    }

    @Test
    void a_base_path_prefix_is_kept() throws Exception {
        try (RealVolantd real = new RealVolantd(dir, Map.of());
                RecordingProxy volantd = new RecordingProxy(real.base())) {
            Cli.Result r = new Cli().api(volantd.base() + "/prefix/").run("vms", "list");
            assertThat(r.err()).isEqualTo("Error: not found (HTTP 404)\n");
            assertThat(volantd.requests().getLast().path()).isEqualTo("/prefix/api/v1/vms");
        }
    }

    @Test
    void a_bad_timeout_value_is_a_usage_error() {
        Cli.Result r = new Cli().run("vms", "list", "--timeout", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Error: --timeout: invalid duration \"soon\" (e.g. 30s, 10m, 1h)\n");
    }
}
