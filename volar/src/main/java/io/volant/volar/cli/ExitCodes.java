package io.volant.volar.cli;

/** api-and-cli.md §5.1 Chosen: 0 success, 1 failure, 2 usage, 130 interrupt. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
