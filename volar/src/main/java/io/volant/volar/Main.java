package io.volant.volar;

import io.volant.hostsetup.ProcessHostCommands;
import io.volant.volar.cli.CliEnvironment;
import io.volant.volar.cli.Volar;
import io.volant.volar.console.SttyTerminal;
import io.volant.volar.setup.SetupEffects;
import io.volant.volar.setup.SystemHostProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point of volar: wires the process environment into the command tree and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CliEnvironment env = new CliEnvironment(System.getenv(), System.in, new SttyTerminal(),
                new SystemHostProbe(), new SetupEffects(new ProcessHostCommands(), SetupEffects.SYSCTL_FILE),
                stderrIsTerminal(), Path.of("").toAbsolutePath(),
                Thread::sleep);
        System.exit(commandLine(env).execute(args));
    }

    /** The configured command tree; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Volar(env));
        ErrorHandlers handlers = new ErrorHandlers();
        cl.setParameterExceptionHandler(handlers);
        cl.setExecutionExceptionHandler(handlers);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Progress bars go to stderr only when it is a terminal; the JDK can only tell through /proc. */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
