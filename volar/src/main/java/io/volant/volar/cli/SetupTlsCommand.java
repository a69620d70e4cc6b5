package io.volant.volar.cli;

import io.volant.hostsetup.tls.SelfSigned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code volar setup tls}: writes a self-signed certificate and key for volantd's HTTPS ({@code volantd.crt}, 0644;
 * {@code volantd.key}, 0600). The certificate doubles as the CA volar is given with {@code --ca-cert}. Needs no root
 * and changes nothing else on the host.
 */
@Command(name = "tls", description = "Write a self-signed certificate and key for volantd's HTTPS.")
final class SetupTlsCommand extends Base {
    @Option(names = "--dir", required = true, paramLabel = "<dir>", description = "where volantd.crt and volantd.key go")
    Path dir;
    @Option(names = "--host", paramLabel = "<name>",
            description = "DNS name or IP the certificate is valid for (repeatable; default: localhost, 127.0.0.1, ::1)")
    List<String> hosts = new ArrayList<>();
    @Option(names = "--days", paramLabel = "<n>", description = "validity in days (default 825)")
    int days = 825;
    @Option(names = "--force", description = "overwrite existing files")
    boolean force;

    @Override
    public Integer call() {
        if (days < 1) {
            throw usage("--days must be at least 1");
        }
        Path cert = dir.resolve("volantd.crt");
        Path key = dir.resolve("volantd.key");
        if (!force && (Files.exists(cert) || Files.exists(key))) {
            throw new CliException(cert + " or " + key + " already exists (use --force to replace them)");
        }
        List<String> names = hosts.isEmpty() ? List.of("localhost", "127.0.0.1", "::1") : hosts;
        try {
            SelfSigned.server(names, Duration.ofDays(days)).write(dir, "volantd");
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot write the TLS pair: " + e.getMessage());
        }
        out().println("Wrote " + cert + " and " + key + " (self-signed for " + String.join(", ", names) + ", valid "
                + days + " days)");
        out().println("volantd: VOLANT_TLS_CERT=" + cert + " VOLANT_TLS_KEY=" + key);
        out().println("volar:   --api https://" + hostPart(names.getFirst()) + ":7777 --ca-cert " + cert);
        return 0;
    }

    private static String hostPart(String h) {
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
