package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import io.volant.manifest.VolantVersion;
import io.volant.volar.client.ApiException;
import io.volant.volar.client.Problems;
import io.volant.volar.client.TransportException;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code volar version}: this client's version and, when volantd answers within two seconds, the server's
 * ({@code volar --version} prints the client's alone and never touches the network). Declared with picocli's
 * programmatic API like {@link Volar}, so that this command's path reads no annotation ({@link Commands}).
 */
final class VersionCommand extends Base {
    static final String NAME = "version";
    static final Duration SERVER_TIMEOUT = Duration.ofSeconds(2);

    VersionCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name(NAME);
        spec.usageMessage().description("Print the volar version and the version of the volantd it talks to.");
    }

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
