package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import io.volant.manifest.VolantVersion;
import io.volant.volar.client.ApiException;
import io.volant.volar.client.Problems;
import io.volant.volar.client.TransportException;
import java.time.Duration;
import picocli.CommandLine.Command;

/**
 * {@code volar version}: this client's version and, when volantd answers within two seconds, the server's
 * ({@code volar --version} prints the client's alone and never touches the network).
 */
@Command(name = "version", description = "Print the volar version and the version of the volantd it talks to.")
final class VersionCommand extends Base {
    static final Duration SERVER_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public Integer call() {
        out().println("volar " + VolantVersion.get());
        String base = root().apiBase();
        try {
            String v = text(client(SERVER_TIMEOUT).get("/api/v1/system/info"), "version");
            out().println("volantd " + (v.isEmpty() ? "(version not reported)" : v) + " at " + base);
        } catch (ApiException e) {
            err().println("volantd at " + base + ": " + Problems.describe(e));
        } catch (TransportException e) {
            err().println("volantd: " + e.getMessage());
        }
        return 0;
    }
}
