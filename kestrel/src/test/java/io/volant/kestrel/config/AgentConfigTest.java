package io.volant.kestrel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    @Test
    void defaults_match_the_spec_table() {
        AgentConfig c = AgentConfig.fromEnv(Map.of());
        assertThat(c.listenHost()).isEmpty();
        assertThat(c.listenPort()).isEqualTo(8080);
        assertThat(c.defaultTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.enableShell()).isTrue();
        assertThat(c.shell()).isEqualTo("/bin/sh");
        assertThat(c.shellArgs()).isEmpty();
        assertThat(c.shellTty()).isEqualTo("/dev/ttyS0");
        assertThat(c.manifestEnv()).isEmpty();
        assertThat(c.cmdlinePath()).isEqualTo(Path.of("/proc/cmdline"));
        assertThat(c.guestMode()).isEqualTo(AgentConfig.GuestMode.AUTO);
        assertThat(c.remoteDebuggingPort()).isZero();
    }

    @Test
    void values_are_trimmed_and_parsed() {
        AgentConfig c = AgentConfig.fromEnv(Map.of(
                "volant_AGENT_LISTEN_ADDR", " 127.0.0.1:9090 ",
                "volant_AGENT_DEFAULT_TIMEOUT", "45s",
                "volant_AGENT_ENABLE_SHELL", "OFF",
                "volant_AGENT_SHELL_ARGS", " -l  -i ",
                "volant_AGENT_REMOTE_DEBUGGING_PORT", "9222",
                "VOLANT_MANIFEST", " abc ",
                "volant_AGENT_GUEST", "false"));
        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isEqualTo(9090);
        assertThat(c.defaultTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.enableShell()).isFalse();
        assertThat(c.shellArgs()).isEqualTo(List.of("-l", "-i"));
        assertThat(c.remoteDebuggingPort()).isEqualTo(9222);
        assertThat(c.manifestEnv()).isEqualTo("abc");
        assertThat(c.guestMode()).isEqualTo(AgentConfig.GuestMode.OFF);
    }

    @Test
    void unparsable_values_fall_back_to_defaults() {
        AgentConfig c = AgentConfig.fromEnv(Map.of(
                "volant_AGENT_ENABLE_SHELL", "maybe",
                "volant_AGENT_DEFAULT_TIMEOUT", "soon",
                "volant_AGENT_REMOTE_DEBUGGING_PORT", "-3"));
        assertThat(c.enableShell()).isTrue();
        assertThat(c.defaultTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.remoteDebuggingPort()).isZero();
    }
}
