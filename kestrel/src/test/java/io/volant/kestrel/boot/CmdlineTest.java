package io.volant.kestrel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CmdlineTest {
    @Test
    void tokens_split_on_whitespace_and_values_at_the_first_equals() {
        Cmdline c = Cmdline.parse("  console=ttyS0\tquiet  volant.manifest=a=b\n volant.boot= ");
        assertThat(c.tokens()).containsExactly("console=ttyS0", "quiet", "volant.manifest=a=b", "volant.boot=");
        assertThat(c.value("volant.manifest")).contains("a=b");
        assertThat(c.value("quiet")).contains("");
        assertThat(c.value("volant.boot")).contains("");
        assertThat(c.value("volant")).isEmpty();
        assertThat(c.hasVolantKeys()).isTrue();
    }

    @Test
    void first_occurrence_wins_and_names_compare_exactly() {
        Cmdline c = Cmdline.parse("ip=1 ip=2 volant.plugin_x=y");
        assertThat(c.value("ip")).contains("1");
        assertThat(c.value("volant.plugin")).isEmpty();
    }

    @Test
    void a_missing_file_is_an_empty_command_line() throws Exception {
        Cmdline c = Cmdline.read(Path.of("/nonexistent/cmdline"));
        assertThat(c.tokens()).isEmpty();
        assertThat(c.hasVolantKeys()).isFalse();
    }
}
