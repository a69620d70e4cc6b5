package io.volant.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class HostRequirementsTest {
    @Test
    void a_missing_tool_skips_locally_and_fails_under_ci() {
        assertThatThrownBy(() -> HostRequirements.require(false, "needs frobnicate", null))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("needs frobnicate");
        assertThatThrownBy(() -> HostRequirements.require(false, "needs frobnicate", "false"))
                .isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> HostRequirements.require(false, "needs frobnicate", "true"))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true").hasMessageContaining("frobnicate");
    }

    @Test
    void a_met_requirement_does_nothing_either_way() {
        assertThatCode(() -> HostRequirements.require(true, "x", "true")).doesNotThrowAnyException();
        assertThatCode(() -> HostRequirements.require(true, "x", null)).doesNotThrowAnyException();
    }
}
