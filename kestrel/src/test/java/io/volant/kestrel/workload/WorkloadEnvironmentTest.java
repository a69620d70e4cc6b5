package io.volant.kestrel.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadEnvironmentTest {
    @ParameterizedTest(name = "PATH \"{0}\" becomes {1}")
    @CsvSource({
            "'', /usr/local/bin:/usr/bin:/bin",
            "/bin, /bin:/usr/local/bin:/usr/bin",
            "/opt/x::/usr/bin:/opt/x, /opt/x:/usr/bin:/usr/local/bin:/bin",
    })
    void path_is_ensured_to_contain_the_standard_directories(String path, String expected) {
        assertThat(WorkloadEnvironment.ensurePath(path)).isEqualTo(expected);
    }

    @Test
    void missing_path_is_created_and_manifest_entries_win() {
        Map<String, String> env = WorkloadEnvironment.build(Map.of("HOME", "/", "A", "agent"),
                Map.of("A", "manifest", "B", "b"));
        assertThat(env).containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin").containsEntry("A", "manifest")
                .containsEntry("B", "b").containsEntry("HOME", "/");
    }

    @Test
    void bare_programs_are_looked_up_in_the_given_path_and_paths_are_kept() {
        Set<Path> exec = Set.of(Path.of("/opt/b/app"), Path.of("/usr/bin/app"));
        assertThat(WorkloadEnvironment.resolveProgram("app", "/opt/a:/opt/b:/usr/bin", exec::contains))
                .contains("/opt/b/app");
        assertThat(WorkloadEnvironment.resolveProgram("app", "/opt/a", exec::contains)).isEmpty();
        assertThat(WorkloadEnvironment.resolveProgram("./app", "", exec::contains)).contains("./app");
        assertThat(WorkloadEnvironment.resolveArgv(List.of("app", "-x"), Map.of("PATH", "/usr/bin"), exec::contains))
                .contains(List.of("/usr/bin/app", "-x"));
    }
}
