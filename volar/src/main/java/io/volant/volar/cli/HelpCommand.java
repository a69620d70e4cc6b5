package io.volant.volar.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code volar help [command...]}: help for any command, nested ones included ({@code help vms create}). */
@Command(name = "help", helpCommand = true, description = "Show help for a command, e.g. volar help vms create.")
final class HelpCommand extends Base {
    @Parameters(arity = "0..*", paramLabel = "<command>")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine cl = spec.root().commandLine();
        for (String name : path) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(cl, "unknown command \"" + name + "\" for \""
                        + cl.getCommandSpec().qualifiedName() + "\"");
            }
            cl = sub;
        }
        cl.usage(out());
        return 0;
    }
}
