package io.volant.volar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command group: alone it prints its help (exit 0), like the root. */
abstract class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine cl = spec.commandLine();
        cl.usage(cl.getOut());
    }
}
