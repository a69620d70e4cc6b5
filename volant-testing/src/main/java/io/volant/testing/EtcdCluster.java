package io.volant.testing;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of {@code n} members (Debian's {@code etcd-server}) on free loopback ports with data under a
 * temp directory; {@link #close()} kills every member by PID. Output goes to {@code <dir>/<member>.log}. With
 * {@link Tls} the client URLs are {@code https://} and every client must present a certificate signed by the CA.
 */
public final class EtcdCluster implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<String> clientUrls = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;
    private final List<String> etcdctlTls;

    /**
     * PEM files for a TLS cluster: the server's certificate (SAN 127.0.0.1) and key, the CA clients must be signed
     * by, and a client certificate and key that {@link #leader()} and {@link #get(String)} use through etcdctl.
     */
    public record Tls(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {}

    private EtcdCluster(Path dir, Tls tls) {
        this.dir = dir;
        this.etcdctlTls = tls == null ? List.of() : List.of("--cacert=" + tls.ca(), "--cert=" + tls.clientCert(),
                "--key=" + tls.clientKey());
    }

    /** Skips without etcd on a developer machine; under {@code CI=true} a missing etcd fails (CI installs it). */
    public static void requireEtcd() {
        HostRequirements.require(HostRequirements.onPath("etcd") && HostRequirements.onPath("etcdctl"),
                "needs etcd and etcdctl (scripts/install-deps.sh: etcd-server, etcd-client)");
    }

    public static EtcdCluster start(Path dir, int n) throws IOException {
        return start(dir, n, null);
    }

    /** {@link #start(Path, int)} with client TLS and client-certificate authentication ({@code tls} null = plain). */
    public static EtcdCluster start(Path dir, int n, Tls tls) throws IOException {
        requireEtcd();
        EtcdCluster c = new EtcdCluster(dir, tls);
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            c.names.add("e" + i);
            c.clientUrls.add((tls == null ? "http" : "https") + "://127.0.0.1:" + freePort());
            peers.add("http://127.0.0.1:" + freePort());
        }
        String initial = java.util.stream.IntStream.range(0, n).mapToObj(i -> c.names.get(i) + "=" + peers.get(i))
                .collect(Collectors.joining(","));
        try {
            for (int i = 0; i < n; i++) {
                String name = c.names.get(i);
                List<String> cmd = new ArrayList<>(List.of("etcd", "--name", name,
                        "--data-dir", dir.resolve(name).toString(),
                        "--listen-client-urls", c.clientUrls.get(i), "--advertise-client-urls", c.clientUrls.get(i),
                        "--listen-peer-urls", peers.get(i), "--initial-advertise-peer-urls", peers.get(i),
                        "--initial-cluster", initial, "--initial-cluster-state", "new",
                        "--initial-cluster-token", "volant-test-" + ProcessHandle.current().pid(),
                        // etcd's tuning guide: heartbeat about the peers' round trip (loopback), election 10x that;
                        // a leader's death then costs well under the nodes' fencing grace (docs/cluster.md)
                        "--heartbeat-interval", "50", "--election-timeout", "500"));
                if (tls != null) {
                    cmd.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString(),
                            "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth"));
                }
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
                c.processes.add(pb.start());
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    public List<String> clientUrls() {
        return List.copyOf(clientUrls);
    }

    /** {@code etcdctl endpoint status} of every live member: the index of the current leader, or -1 when none. */
    public int leader() {
        List<String> live = liveEndpoints();
        try {
            Process p = new ProcessBuilder(etcdctl(live, "endpoint", "status", "-w", "json"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            for (JsonNode e : new ObjectMapper().readTree(out)) {
                JsonNode status = e.path("Status");
                if (status.path("leader").asLong() != 0
                        && status.path("leader").asLong() == status.path("header").path("member_id").asLong()) {
                    return clientUrls.indexOf(e.path("Endpoint").asText());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The value of {@code key} through {@code etcdctl} on the live members; empty when absent or unreachable. */
    public String get(String key) {
        List<String> live = liveEndpoints();
        try {
            Process p = new ProcessBuilder(etcdctl(live, "get", "--print-value-only", key))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Runs {@code etcdctl args} against the live members (with the client certificate under TLS); its output. */
    public String ctl(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(etcdctl(liveEndpoints(), args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private List<String> etcdctl(List<String> endpoints, String... args) {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + String.join(",", endpoints),
                "--command-timeout=3s"));
        cmd.addAll(etcdctlTls);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private List<String> liveEndpoints() {
        List<String> live = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive()) {
                live.add(clientUrls.get(i));
            }
        }
        return live;
    }

    /** SIGKILL of member {@code i}, by PID. */
    public void kill(int i) throws InterruptedException {
        processes.get(i).destroyForcibly();
        processes.get(i).waitFor(30, TimeUnit.SECONDS);
    }

    public String log(int i) {
        try {
            return Files.readString(dir.resolve(names.get(i) + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
