package io.volant.volar.cli;

import io.volant.manifest.VolantVersion;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.ClientTls;
import io.volant.volar.client.Durations;
import io.volant.volar.client.Json;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The root command: global options; the command groups are added by {@code Main} ({@link Commands}). Its model is
 * built with picocli's programmatic API, not from annotations: on the path of {@code volar version} and
 * {@code volar --version} nothing is read by reflection (docs/volar.md "Start-up": the JDK spins a proxy class per
 * annotation type and method-handle code per reflected field type, most of those commands' start-up).
 */
public final class Volar implements Runnable {
    public static final String DEFAULT_API = "http://127.0.0.1:7777";

    /** The root's model; its options are bound to the {@link OptionValue}s below. */
    private final CommandSpec spec;
    private final OptionValue api = new OptionValue();
    private final OptionValue apiKey = new OptionValue();
    private final OptionValue caCert = new OptionValue();
    private final OptionValue clientCert = new OptionValue();
    private final OptionValue clientKey = new OptionValue();
    private final OptionValue timeout = new OptionValue();
    private final CliEnvironment environment;
    /** Built on first use: Jackson's mapper is a good part of start-up; help, usage errors and --version need none. */
    private Json json;
    /** The clients this run made; {@link #closeClients()} stops them when the command is done. */
    private final java.util.List<ApiClient> clients = new java.util.ArrayList<>();

    public Volar(CliEnvironment environment) {
        this.environment = environment;
        this.spec = CommandSpec.wrapWithoutInspection(this).name("volar").versionProvider(
                () -> new String[] {"volar " + VolantVersion.get()});
        spec.usageMessage().description("Command-line client of volantd, the Volant microVM orchestrator.");
        inherited(api, "<url>", "volantd base URL (default: $VOLANT_API_BASE, else " + DEFAULT_API + ")",
                "-a", "--api");
        inherited(apiKey, "<key>", "API key sent as X-Volant-API-Key (default: $VOLANT_API_KEY)", "--api-key");
        inherited(caCert, "<pem>", "CA certificate (PEM) that volantd's HTTPS certificate must chain to (default: "
                + "$VOLANT_CA_CERT, else the system trust store)", "--ca-cert");
        inherited(clientCert, "<pem>", "client certificate (PEM) for volantd's client-certificate authentication "
                + "(default: $VOLANT_CLIENT_CERT)", "--client-cert");
        inherited(clientKey, "<pem>", "private key (PEM) of --client-cert (default: $VOLANT_CLIENT_KEY)",
                "--client-key");
        inherited(timeout, "<duration>", "time limit per request, e.g. 30s or 10m (default: 30s for reads, 10m for "
                + "lifecycle changes)", "--timeout");
        // What mixinStandardHelpOptions adds, with picocli's own texts (the mixin is read by reflection).
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    private void inherited(OptionValue value, String label, String description, String... names) {
        spec.addOption(OptionSpec.builder(names).scopeType(ScopeType.INHERIT).paramLabel(label).type(String.class)
                .description(description).getter(value).setter(value).build());
    }

    /** The root's model, for {@code new CommandLine(volar.spec())}. */
    public CommandSpec spec() {
        return spec;
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
        String api = this.api.text();
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
            tls = ClientTls.context(path(caCert.text(), "VOLANT_CA_CERT"),
                    path(clientCert.text(), "VOLANT_CLIENT_CERT"), path(clientKey.text(), "VOLANT_CLIENT_KEY"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String key = apiKey.text();
        return track(new ApiClient(apiBase(), key != null ? key : environment.env("VOLANT_API_KEY"),
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
        String timeout = this.timeout.text();
        if (timeout == null || timeout.isBlank()) {
            return defaultTimeout;
        }
        try {
            return Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: " + e.getMessage());
        }
    }
}
