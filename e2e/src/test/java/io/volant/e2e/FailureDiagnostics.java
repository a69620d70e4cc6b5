package io.volant.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * On a failed step: prints the tail of every VM console log, hypervisor log and volantd's log, and tells the test
 * instance, whose later steps then skip (they build on the failed one).
 */
final class FailureDiagnostics implements TestWatcher {
    /** Implemented by the test class: what to print, and a flag for the later steps. */
    interface Source {
        String diagnostics();

        void markFailed(String step);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getTestInstance().filter(Source.class::isInstance).map(Source.class::cast).ifPresent(source -> {
            source.markFailed(context.getDisplayName());
            System.err.println("\n===== e2e step failed: " + context.getDisplayName() + ": " + cause + "\n"
                    + source.diagnostics() + "\n===== end of e2e diagnostics");
        });
    }
}
