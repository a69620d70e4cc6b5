package io.volant.volantd.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {
    @Test
    void a_long_quoted_input_is_abbreviated_and_the_rule_kept() {
        String m = ErrorText.bounded("orchestrator: invalid vm name \"" + "a".repeat(100_000)
                + "\" (must be a lowercase DNS label)");
        assertThat(m).startsWith("orchestrator: invalid vm name \"aaaa").endsWith("...\" (must be a lowercase DNS label)");
        assertThat(m.length()).isLessThan(ErrorText.MAX_QUOTED + 80);
    }

    @Test
    void any_message_is_capped() {
        assertThat(ErrorText.bounded("x ".repeat(10_000))).hasSize(ErrorText.MAX_MESSAGE);
        assertThat(ErrorText.bounded(null)).isEmpty();
        assertThat(ErrorText.bounded("vm not found")).isEqualTo("vm not found");
    }

    @Test
    void jackson_configuration_hints_are_cut() {
        assertThat(ErrorText.withoutLibraryHints("Document nesting depth (1001) exceeds the maximum allowed (1000, from "
                + "`StreamReadConstraints.getMaxNestingDepth()`)"))
                .isEqualTo("Document nesting depth (1001) exceeds the maximum allowed (1000)");
        assertThat(ErrorText.withoutLibraryHints("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`"
                + " to allow")).isEqualTo("Non-standard token 'NaN'");
    }
}
