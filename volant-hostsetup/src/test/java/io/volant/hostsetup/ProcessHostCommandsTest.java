package io.volant.hostsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The process runner with harmless commands: exit codes, captured output, closed stdin, start failures. */
class ProcessHostCommandsTest {
    private final ProcessHostCommands commands = new ProcessHostCommands();

    @Test
    void output_and_exit_codes_are_captured_and_a_non_zero_exit_is_not_an_exception() {
        HostCommands.Result ok = commands.run(List.of("sh", "-c", "echo out; echo err >&2"), Duration.ofSeconds(30));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.stdout()).isEqualTo("out\n");
        assertThat(ok.stderr()).isEqualTo("err\n");

        HostCommands.Result failed = commands.run(List.of("sh", "-c", "exit 3"), Duration.ofSeconds(30));
        assertThat(failed.exitCode()).isEqualTo(3);
    }

    @Test
    void a_command_reading_stdin_sees_end_of_file() {
        HostCommands.Result r = commands.run(List.of("cat"), Duration.ofSeconds(30));
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void a_missing_binary_names_the_command() {
        assertThatThrownBy(() -> commands.run(List.of("/nonexistent/volant-tool", "x"), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("run [/nonexistent/volant-tool x]: ");
    }
}
