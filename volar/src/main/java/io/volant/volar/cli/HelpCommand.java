package io.volant.volar.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code volar help [command...]}: help for any command, nested ones included ({@code help vms create}). */
@Command(name = "help", helpCommand = true, description = "Show help for a command, e.g. volar help vms create.")
final class HelpCommand extends Base {
    @Parameters(arity = "0..*", paramLabel = "<command>", description = "command path, e.g. vms create")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine cl = spec.root().commandLine();
        for (String name : path) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.UnmatchedArgumentException(cl, java.util.List.of(name));
            }
            cl = sub;
        }
        cl.usage(out());
        return 0;
    }
}
