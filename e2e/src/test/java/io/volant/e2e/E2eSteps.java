package io.volant.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every ordered e2e class shares: its {@link E2eHost}, the rule that a failed step skips the later ones (they
 * build on it), the failure diagnostics and the step log.
 */
abstract class E2eSteps implements FailureDiagnostics.Source {
    protected E2eHost host;
    private String failedStep;

    /** Prefix of {@link #log} lines, e.g. {@code e2e}. */
    abstract String logTag();

    @BeforeEach
    void skipAfterAFailedStep(TestInfo info) {
        assumeTrue(failedStep == null, "skipped: step '" + failedStep + "' failed");
        log("step " + info.getDisplayName());
    }

    void log(String message) {
        System.out.println("[" + logTag() + " " + Instant.now() + "] " + message);
    }

    @Override
    public String diagnostics() {
        return host == null ? "(no host)" : host.diagnostics(60);
    }

    @Override
    public void markFailed(String step) {
        failedStep = step;
    }
}
