package io.volant.kestrel.identity;

/**
 * One line of the template/clone identity protocol on the {@code io.volant.identity} port (docs/kestrel.md,
 * "Template mode"). Guest to host: {@link Warm}, {@link TimeRequest}, {@link Applied}, {@link Failed}; host to guest:
 * {@link Identity}, {@link Time}.
 */
public sealed interface IdentityMessage {
    /** The template is booted and warm, has no identity, and now waits for one. */
    record Warm() implements IdentityMessage {}

    /**
     * Who this clone is: the full kernel command line a cold boot of it would have had (without
     * {@code volant.template}), its MAC and hostname, the host's wall clock when sent, and 64 fresh random bytes.
     */
    record Identity(String cmdline, String mac, String hostname, long timeUnixMs, byte[] entropy)
            implements IdentityMessage {
        public Identity {
            entropy = entropy.clone();
        }

        @Override
        public byte[] entropy() {
            return entropy.clone();
        }

        /** Without the entropy and the command line (it may carry user data): safe to log. */
        @Override
        public String toString() {
            return "Identity[mac=" + mac + ", hostname=" + hostname + ", timeUnixMs=" + timeUnixMs + "]";
        }
    }

    /** Asks the host for its wall clock now (the clock exchange after an identity); {@code seq} pairs the answer. */
    record TimeRequest(long seq) implements IdentityMessage {}

    /** The host's answer to the {@link TimeRequest} {@code seq}: its wall clock when it answered. */
    record Time(long seq, long timeUnixMs) implements IdentityMessage {}

    /** The identity is applied and the workload started. */
    record Applied() implements IdentityMessage {}

    /** The identity could not be applied; {@code error} is one line. kestrel keeps running without a workload. */
    record Failed(String error) implements IdentityMessage {}
}
