package io.volant.volar.cli;

import io.volant.manifest.VolantVersion;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.ClientTls;
import io.volant.volar.client.Durations;
import io.volant.volar.client.Json;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options; the command groups are added by {@code Main} ({@link Commands}). */
@Command(name = "volar", mixinStandardHelpOptions = true, versionProvider = Volar.Version.class,
        description = "Command-line client of volantd, the Volant microVM orchestrator.")
public final class Volar implements Runnable {
    public static final String DEFAULT_API = "http://127.0.0.1:7777";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-a", "--api"}, scope = ScopeType.INHERIT, paramLabel = "<url>",
            description = "volantd base URL (default: $VOLANT_API_BASE, else " + DEFAULT_API + ")")
    String api;

    @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "<key>",
            description = "API key sent as X-Volant-API-Key (default: $VOLANT_API_KEY)")
    String apiKey;

    @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "<pem>",
            description = "CA certificate (PEM) that volantd's HTTPS certificate must chain to (default: $VOLANT_CA_CERT, "
                    + "else the system trust store)")
    String caCert;

    @Option(names = "--client-cert", scope = ScopeType.INHERIT, paramLabel = "<pem>",
            description = "client certificate (PEM) for volantd's client-certificate authentication "
                    + "(default: $VOLANT_CLIENT_CERT)")
    String clientCert;

    @Option(names = "--client-key", scope = ScopeType.INHERIT, paramLabel = "<pem>",
            description = "private key (PEM) of --client-cert (default: $VOLANT_CLIENT_KEY)")
    String clientKey;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "<duration>",
            description = "time limit per request, e.g. 30s or 10m (default: 30s for reads, 10m for lifecycle "
                    + "changes)")
    String timeout;

    private final CliEnvironment environment;
    /** Built on first use: Jackson's mapper is a good part of start-up; help, usage errors and --version need none. */
    private Json json;
    /** The clients this run made; {@link #closeClients()} stops them when the command is done. */
    private final java.util.List<ApiClient> clients = new java.util.ArrayList<>();

    public Volar(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public CliEnvironment environment() {
        return environment;
    }

    public synchronized Json json() {
        if (json == null) {
            json = new Json();
        }
        return json;
    }

    public String apiBase() {
        if (api != null && !api.isBlank()) {
            return api.trim();
        }
        String env = environment.env("VOLANT_API_BASE");
        return env.isEmpty() ? DEFAULT_API : env;
    }

    /** A client whose per-request limit is {@code --timeout} or the command's default. */
    public ApiClient client(Duration defaultTimeout) {
        javax.net.ssl.SSLContext tls;
        try {
            tls = ClientTls.context(path(caCert, "VOLANT_CA_CERT"), path(clientCert, "VOLANT_CLIENT_CERT"),
                    path(clientKey, "VOLANT_CLIENT_KEY"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return track(new ApiClient(apiBase(), apiKey != null ? apiKey : environment.env("VOLANT_API_KEY"),
                requestTimeout(defaultTimeout), json(), environment.env(), tls));
    }

    /** Registers a client for {@link #closeClients()}. */
    public synchronized ApiClient track(ApiClient client) {
        clients.add(client);
        return client;
    }

    /** Stops every client this run made (their threads would delay the JVM's exit: {@link ApiClient#close()}). */
    public void closeClients() {
        java.util.List<ApiClient> done;
        synchronized (this) {
            done = java.util.List.copyOf(clients);
            clients.clear();
        }
        done.forEach(ApiClient::close);
    }

    private java.nio.file.Path path(String option, String variable) {
        String v = option != null && !option.isBlank() ? option : environment.env(variable);
        return v == null || v.isBlank() ? null : java.nio.file.Path.of(v);
    }

    public Duration requestTimeout(Duration defaultTimeout) {
        if (timeout == null || timeout.isBlank()) {
            return defaultTimeout;
        }
        try {
            return Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: " + e.getMessage());
        }
    }

    /** {@code volar --version}: the project version from the manifest module. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"volar " + VolantVersion.get()};
        }
    }
}
