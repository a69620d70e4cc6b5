package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;

import io.volant.volar.console.ConsoleSession;
import io.volant.volar.console.UnixSocketLink;
import io.volant.volar.console.WebSocketLink;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar vms console}: an interactive serial console; Ctrl-] detaches (api-and-cli.md §5.5 Chosen). */
@Command(name = "console", description = "Attach to a VM's serial console (detach with Ctrl-]).")
final class VmConsoleCommand extends Base {
    @Parameters(paramLabel = "<name>", description = "VM name")
    String name;
    @Option(names = "--socket", paramLabel = "<path>",
            description = "use this serial Unix socket on the volantd host instead of the API")
    String socket;

    @Override
    public Integer call() throws Exception {
        ConsoleSession.Link link;
        if (socket != null) {
            Path p = env().resolve(socket);
            err().println("Connecting to serial socket: " + p);
            err().flush();
            try {
                link = new UnixSocketLink(p, out());
            } catch (IOException e) {
                throw new CliException("connect unix socket: " + ConfigFiles.describe(e));
            }
        } else {
            WebSocketLink ws = new WebSocketLink(out());
            client(READ).webSocket("/ws/v1/vms/" + seg(name) + "/console", ws);
            link = ws;
        }
        err().println("Connected to " + name + " console (escape: Ctrl-])");
        err().flush();
        Runnable restore = () -> { };
        if (env().terminal().isInteractive()) {
            try {
                restore = env().terminal().enterRawMode();
            } catch (IllegalStateException e) {
                err().println("warning: failed to set raw mode: " + e.getMessage());
            }
        }
        ConsoleSession.End end;
        try {
            end = ConsoleSession.run(env().stdin(), link);
        } finally {
            restore.run();
            out().flush();
        }
        err().println();
        if (end == ConsoleSession.End.REMOTE_CLOSED && link.lostReason() != null) {
            // Not a detach: the user must not mistake a dead daemon for a clean exit (issue 17 row 14).
            throw new CliException("connection to " + name + " console lost (" + link.lostReason() + ")");
        }
        err().println(switch (end) {
            case DETACHED -> "Detached from " + name + " console";
            case INPUT_ENDED -> "Input ended; left " + name + " console";
            case REMOTE_CLOSED -> "Console of " + name + " closed by volantd";
        });
        return 0;
    }
}
