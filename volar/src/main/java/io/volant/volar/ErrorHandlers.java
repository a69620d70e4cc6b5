package io.volant.volar;

import io.volant.volar.cli.CliException;
import io.volant.volar.cli.ExitCodes;
import io.volant.volar.client.ApiException;
import io.volant.volar.client.CliInterruptedException;
import io.volant.volar.client.TransportException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns every failure into one {@code Error: <message>} line on stderr and an exit code (api-and-cli.md §5.1
 * Chosen): usage errors 2 (with the usage text), server and client failures 1, interrupts 130; never a stack trace.
 */
final class ErrorHandlers implements CommandLine.IParameterExceptionHandler,
        CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("Error: " + usageMessage(ex));
        cmd.usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (ex instanceof CommandLine.ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        PrintWriter err = cmd.getErr();
        int code = ExitCodes.FAILURE;
        String message;
        switch (ex) {
            case ApiException a -> message = a.getMessage() + " (HTTP " + a.status() + ")";
            case TransportException t -> message = t.getMessage();
            case CliException c -> {
                message = c.getMessage();
                code = c.exitCode();
            }
            case CliInterruptedException i -> {
                message = "interrupted";
                code = ExitCodes.INTERRUPTED;
            }
            case UncheckedIOException u -> message = u.getCause().getMessage();
            case IllegalArgumentException e -> message = e.getMessage();
            case IllegalStateException e -> message = e.getMessage();
            case UnsupportedOperationException e -> message = e.getMessage();
            default -> message = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        err.println("Error: " + message);
        err.flush();
        return code;
    }

    /** picocli's wording, translated to the upstream (cobra) messages users and scripts know. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            if (first.startsWith("-")) {
                return "unknown flag: " + first;
            }
            if (!ex.getCommandLine().getSubcommands().isEmpty()) {
                return "unknown command \"" + first + "\" for \"" + ex.getCommandLine().getCommandSpec().qualifiedName()
                        + "\"";
            }
        }
        return ex.getMessage();
    }
}
