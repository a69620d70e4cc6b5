package io.volant.volantd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** volantd's environment → one validated record (api-and-cli.md §4.2, host-runtime.md §1). */
class ConfigLoaderTest {
    private static VolantdConfig load(Map<String, String> env) {
        return ConfigLoader.load(env, "/home/u", false);
    }

    @Test
    void defaults_match_the_spec() {
        VolantdConfig c = load(Map.of());
        assertThat(c.apiListen()).isEqualTo("0.0.0.0:7777");
        assertThat(c.apiAdvertise()).isEqualTo("192.168.127.1:7777");
        assertThat(c.subnet().toString()).isEqualTo("192.168.127.0/24");
        assertThat(c.hostIp()).isEqualTo("192.168.127.1");
        assertThat(c.bridge()).isEqualTo("vbr0");
        assertThat(c.runtimeDir()).isEqualTo(Path.of("/home/u/.volant/run"));
        assertThat(c.logDir()).isEqualTo(Path.of("/home/u/.volant/logs"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/home/u/.local/share/volant"));
        assertThat(c.dbPath()).isEqualTo(Path.of("/home/u/.local/share/volant/state.db"));
        assertThat(c.runtimeBackend()).isEqualTo("auto");
        assertThat(c.stopGrace()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.cacheDir()).isEqualTo(Path.of("/home/u/.volant/run/cache"));
        assertThat(c.netmask()).isEqualTo("255.255.255.0");
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void data_dir_is_var_lib_volant_for_root_and_xdg_otherwise() {
        assertThat(ConfigLoader.load(Map.of(), "/root", true).dbPath()).isEqualTo(Path.of("/var/lib/volant/state.db"));
        assertThat(load(Map.of("XDG_DATA_HOME", "/x")).dataDir()).isEqualTo(Path.of("/x/volant"));
        assertThat(load(Map.of("VOLANT_DB_PATH", "~/db/s.db")).dbPath()).isEqualTo(Path.of("/home/u/db/s.db"));
    }

    @Test
    void empty_variables_count_as_unset_and_tilde_expands() {
        VolantdConfig c = load(Map.of("VOLANT_BRIDGE", "", "VOLANT_RUNTIME_DIR", "~/r"));
        assertThat(c.bridge()).isEqualTo("vbr0");
        assertThat(c.runtimeDir()).isEqualTo(Path.of("/home/u/r"));
    }

    @Test
    void advertise_uses_a_routable_listen_host_else_the_host_ip() {
        assertThat(load(Map.of("VOLANT_API_LISTEN", "10.1.2.3:9000")).apiAdvertise()).isEqualTo("10.1.2.3:9000");
        assertThat(load(Map.of("VOLANT_API_LISTEN", "127.0.0.1:9000")).apiAdvertise()).isEqualTo("192.168.127.1:9000");
        assertThat(load(Map.of("VOLANT_API_LISTEN_ADDR", "localhost:8000")).apiAdvertise()).isEqualTo("192.168.127.1:8000");
        assertThat(load(Map.of("VOLANT_API_ADVERTISE", "host.example:1")).apiAdvertise()).isEqualTo("host.example:1");
    }

    @Test
    void invalid_values_name_the_variable_and_value() {
        assertThatThrownBy(() -> load(Map.of("VOLANT_SUBNET", "nope"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid subnet cidr \"nope\": ");
        assertThatThrownBy(() -> load(Map.of("VOLANT_HOST_IP", "x"))).hasMessage("invalid host ip \"x\"");
        assertThatThrownBy(() -> load(Map.of("VOLANT_HOST_IP", "10.0.0.1")))
                .hasMessage("orchestrator: host IP 10.0.0.1 not in subnet 192.168.127.0/24");
        assertThatThrownBy(() -> load(Map.of("VOLANT_API_LISTEN", "nope"))).hasMessageStartingWith("invalid api listen address \"nope\": ");
        assertThatThrownBy(() -> load(Map.of("VOLANT_RUNTIME_BACKEND", "xen"))).hasMessageContaining("VOLANT_RUNTIME_BACKEND \"xen\"");
        assertThatThrownBy(() -> load(Map.of("VOLANT_STOP_GRACE_SECONDS", "-1"))).hasMessageContaining("VOLANT_STOP_GRACE_SECONDS \"-1\"");
        assertThatThrownBy(() -> load(Map.of("VOLANT_SIMULATED_HEALTH", "meh"))).hasMessageContaining("VOLANT_SIMULATED_HEALTH \"meh\"");
        assertThatThrownBy(() -> load(Map.of("VOLANT_DRIFT_ENDPOINT", "localhost"))).hasMessage("drift endpoint must include scheme and host");
    }

    @Test
    void simulated_settings_are_parsed() {
        VolantdConfig c = load(Map.of("VOLANT_RUNTIME_BACKEND", "SIMULATED", "VOLANT_SIMULATED_LAUNCH_MS", "5",
                "VOLANT_SIMULATED_HEALTH", "unhealthy"));
        assertThat(c.simulated()).isTrue();
        assertThat(c.simulatedLaunch()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.simulatedHealthy()).isFalse();
    }
}
