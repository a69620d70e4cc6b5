package io.volant.volar;

import io.volant.volar.cli.CliException;
import io.volant.volar.cli.ExitCodes;
import io.volant.volar.client.ApiException;
import io.volant.volar.client.CliInterruptedException;
import io.volant.volar.client.Problems;
import io.volant.volar.client.TransportException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;

/**
 * Turns every failure into one {@code Error: <message>} line on stderr and an exit code (api-and-cli.md §5.1
 * Chosen, issue 17 rows 2, 16, 17): usage errors 2 (with a hint where to find the usage and, for a mistyped
 * command, what was probably meant), server and client failures 1, interrupts 130; never a stack trace.
 */
final class ErrorHandlers implements CommandLine.IParameterExceptionHandler,
        CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("Error: " + usageMessage(ex));
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
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
            case ApiException a -> message = Problems.describe(a);
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
            default -> message = ex.getMessage() == null ? "unexpected failure" : ex.getMessage();
        }
        err.println("Error: " + message);
        err.flush();
        return code;
    }

    /** picocli's wording, translated to messages that name what was wrong (cobra's, where users know them). */
    private static String usageMessage(CommandLine.ParameterException ex) {
        String where = ex.getCommandLine().getCommandSpec().qualifiedName();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            // An alias ("ls") is shown as the command it stands for ("list").
            String hint = suggestion(u.getSuggestions().stream().map(s -> {
                CommandLine sub = ex.getCommandLine().getSubcommands().get(s);
                return sub == null ? s : sub.getCommandName();
            }).toList());
            if (first.startsWith("-")) {
                return "unknown flag: " + first + hint;
            }
            if (!ex.getCommandLine().getSubcommands().isEmpty()) {
                return "unknown command \"" + first + "\" for \"" + where + "\"" + hint;
            }
            return "unexpected argument \"" + first + "\" for \"" + where + "\"";
        }
        if (ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            return "missing " + String.join(", ", m.getMissing().stream().map(a -> a instanceof
                    CommandLine.Model.OptionSpec o ? o.longestName() : a.paramLabel()).toList()) + " for \"" + where
                    + "\"";
        }
        return ex.getMessage();
    }

    private static String suggestion(List<String> suggestions) {
        List<String> real = suggestions.stream().filter(s -> !s.isBlank()).distinct().limit(3).toList();
        if (real.isEmpty()) {
            return "";
        }
        return " (did you mean " + String.join(" or ", real.stream().map(s -> "\"" + s + "\"").toList()) + "?)";
    }
}
