package io.volant.volar.console;

/** The controlling terminal, switched to raw mode for {@code vms console} and restored afterwards. */
public interface Terminal {
    /** @return whether stdin is a terminal (raw mode only makes sense then) */
    boolean isInteractive();

    /**
     * Puts the terminal into raw mode.
     *
     * @return an action that restores the previous mode; never null
     * @throws IllegalStateException when the mode cannot be changed (the caller warns and carries on)
     */
    Runnable enterRawMode();

    /** A terminal that is never interactive: used when stdin is a pipe and by in-process tests. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public Runnable enterRawMode() {
            return () -> { };
        }
    };
}
