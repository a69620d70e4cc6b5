package io.volant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.testing.EtcdCluster;
import io.volant.testing.HostRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19 on real VMs (docs/cluster.md): one etcd member on loopback and two bin/volantd cluster nodes, {@code n1}
 * and {@code n2}, each with the QEMU backend in a network namespace of its own ({@link E2eHost} tags {@code cl1},
 * {@code cl2}). A deployment {@code web} of 2 BusyBox httpd replicas (templates off) runs one replica per node, each
 * serving its page inside its node's namespace. Then n2's volantd and its QEMU are SIGKILLed: once n2's lease
 * expires, its replica is recreated on n1, runs and serves there, and n1 lists both replicas as its own. Steps
 * build on each other; teardown always removes both nodes, their QEMU, namespaces and files, and etcd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(FailureDiagnostics.class)
class ClusterE2eTest extends E2eSteps {
    private static final String HTTPD_PAGE = "Hello from BusyBox httpd in a Volant microVM! 🚀";
    /** Two cold TCG boots at once on two shared cores: be generous (a slower machine makes the run longer). */
    private static final Duration BOOT = Duration.ofMinutes(8);
    /** What the simulated cluster suite settled on: fencing grace 2.5 s, recovery TTL + one pass + a boot. */
    private static final int LEASE_SECONDS = 5;

    private final Instant began = Instant.now();
    private Path etcdDir;
    private EtcdCluster etcd;
    private E2eHost n1;
    private E2eHost n2;

    @BeforeAll
    void startEtcdAndTwoNodes() throws Exception {
        HostRequirements.require("root".equals(System.getProperty("user.name")),
                "the e2e suite needs root (network namespaces, bridges, taps)");
        Path root = Path.of(System.getProperty("volant.root", "..")).toAbsolutePath().normalize();
        for (String needed : List.of("volantd/target/volantd.jar", "volar/target/volar.jar", "fledge/target/fledge.jar",
                "guest/build/volant-init", "build/agent-bundle.img", "build/kernel/vmlinuz", "build/kernel/release")) {
            assertThat(root.resolve(needed)).as("%s (build with scripts/build.sh first)", needed).exists();
        }
        Path reports = Path.of(System.getProperty("volant.e2e.reports", "target/e2e-logs"));
        etcdDir = Path.of("/tmp", "ve2e-cl-etcd-" + ProcessHandle.current().pid());
        E2eHost.deleteTree(etcdDir);
        etcd = EtcdCluster.start(Files.createDirectories(etcdDir), 1);
        n1 = E2eHost.create(root, reports.resolve("cluster-n1"), "cl1", api -> node("n1", api));
        n2 = E2eHost.create(root, reports.resolve("cluster-n2"), "cl2", api -> node("n2", api));
        host = n1;
        try {
            n1.volantd().start();
            n2.volantd().start();
            for (E2eHost n : List.of(n1, n2)) {
                await("both nodes ready in the view of " + n.api).atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                            assertThat(n.volantd().alive()).as("volantd alive:%n%s", E2eHost.tail(n.volantd().log(), 40)).isTrue();
                            assertThat(states(n)).isEqualTo(Map.of("n1", "ready", "n2", "ready"));
                        });
            }
            log("n1 (pid " + n1.volantd().pid() + ", " + n1.netns + ") and n2 (pid " + n2.volantd().pid() + ", "
                    + n2.netns + ") ready on etcd " + etcd.clientUrls());
        } catch (Exception | AssertionError e) {
            System.err.println("cluster e2e setup failed: " + e + "\n" + diagnostics());
            throw e;
        }
    }

    private Map<String, String> node(String name, String api) {
        return Map.of("VOLANT_CLUSTER_ETCD", String.join(",", etcd.clientUrls()), "VOLANT_NODE_NAME", name,
                "VOLANT_NODE_URL", api, "VOLANT_CLUSTER_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            // n1 first: while it is up it deletes the deployment (cluster-wide) and stops its VMs; n2 then only
            // kills what is left of its own run by PID.
            for (E2eHost n : new E2eHost[] {n1, n2}) {
                if (n != null) {
                    n.close();
                }
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
            if (etcdDir != null) {
                E2eHost.deleteTree(etcdDir);
            }
            log("cluster e2e wall time " + Duration.between(began, Instant.now()).toSeconds() + " s");
        }
    }

    @Test
    @Order(1)
    void aDeploymentOfTwoReplicasRunsOneOnEachNodeAndEachServesInItsNodesNamespace() throws IOException {
        Path plugins = n1.buildHttpdExample();
        // Plugins are per node (docs/cluster.md): both install the same artifact.
        for (E2eHost n : List.of(n1, n2)) {
            assertThat(n.volarOk("plugins", "install", "--manifest", plugins.resolve("httpd.cpio.gz.manifest.json").toString()))
                    .contains("Plugin httpd 0.1.0 installed");
        }
        Path config = n1.work.resolve("web.json");
        Files.writeString(config, "{\"plugin\":\"httpd\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":512},\"template\":false}\n");
        n1.volarOk("deployments", "create", "web", "--config", config.toString(), "--replicas", "2");

        await("web-1 and web-2 running, one per node").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(placement(n1)).containsOnlyKeys("web-1", "web-2")
                        .containsValues("n1", "n2"));
        for (E2eHost n : List.of(n1, n2)) {
            String name = ownReplica(n);
            assertServes(n, name);
            assertThat(n.vm(name).path("ip_address").asText()).as("%s's IP in its node's subnet", name)
                    .startsWith(subnetPrefix(n));
        }
        assertThat(subnetPrefix(n1)).isNotEqualTo(subnetPrefix(n2));
        assertThat(members(n1)).isEqualTo(placement(n1));
        // n2 answers for the whole cluster too (n1's VMs as of n1's last heartbeat).
        await("n2's view of the cluster").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(placement(n2)).isEqualTo(placement(n1)));
    }

    @Test
    @Order(2)
    void losingANodesVolantdAndItsQemuRecreatesItsReplicaOnTheOtherNodeWhereItServes() throws Exception {
        String lost = ownReplica(n2);
        String kept = ownReplica(n1);
        JsonNode before = n2.vm(lost);
        long qemu = before.path("pid").asLong();
        assertThat(E2eHost.cmdline(qemu)).as("pid %d must be a QEMU of n2's run", qemu).contains(n2.runDir + "/").contains("qemu");
        long keptPid = n1.vm(kept).path("pid").asLong();

        long volantd = n2.volantd().pid();
        n2.volantd().kill9();
        ProcessHandle.of(qemu).ifPresent(ProcessHandle::destroyForcibly);
        Instant lostAt = Instant.now();
        log("n2 lost: volantd pid " + volantd + " and " + lost + "'s QEMU pid " + qemu + " SIGKILLed");
        await(lost + "'s QEMU gone").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        assertThat(n2.qemuPids()).isEmpty();

        await("n2 down in n1's view").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(states(n1)).containsEntry("n2", "down"));
        await(lost + " recreated and running on n1").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(placement(n1)).isEqualTo(Map.of("web-1", "n1", "web-2", "n1")));
        log(lost + " running on n1 " + Duration.between(lostAt, Instant.now()).toSeconds() + " s after n2's loss");
        assertServes(n1, lost);
        log(lost + " serving on n1 " + Duration.between(lostAt, Instant.now()).toSeconds() + " s after n2's loss");

        JsonNode recreated = n1.vm(lost);
        assertThat(recreated.path("ip_address").asText()).startsWith(subnetPrefix(n1));
        assertThat(recreated.path("pid").asLong()).isNotEqualTo(qemu);
        assertThat(E2eHost.cmdline(recreated.path("pid").asLong())).contains(n1.runDir + "/");
        assertThat(n1.vm(kept).path("pid").asLong()).as("%s untouched", kept).isEqualTo(keptPid);
        assertServes(n1, kept);
        // The survivor's whole-cluster list: both replicas, both its own, and nothing of the dead node.
        Map<String, JsonNode> vms = n1.vms();
        assertThat(vms.keySet()).containsExactly("web-1", "web-2");
        assertThat(vms.values()).allSatisfy(vm -> {
            assertThat(vm.path("node").asText()).isEqualTo("n1");
            assertThat(vm.path("status").asText()).isEqualTo("running");
        });
        assertThat(n1.qemuPids()).hasSize(2);
        await("the deployment ready again, both members on n1").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(members(n1)).isEqualTo(Map.of("web-1", "n1", "web-2", "n1")));
    }

    /** Member name → node of deployment {@code web} as {@code n} answers, once it counts 2 ready replicas. */
    private static Map<String, String> members(E2eHost n) {
        JsonNode d = n.deployment("web");
        assertThat(d.path("ready_replicas").asInt()).as("ready_replicas of %s", d).isEqualTo(2);
        Map<String, String> out = new TreeMap<>();
        d.path("members").forEach(m -> out.put(m.path("name").asText(), m.path("node").asText()));
        return out;
    }

    /** Replica name → node, of the replicas {@code n} lists as running (the whole cluster's view). */
    private static Map<String, String> placement(E2eHost n) {
        Map<String, String> out = new TreeMap<>();
        n.vms().forEach((name, vm) -> {
            if ("running".equals(vm.path("status").asText())) {
                out.put(name, vm.path("node").asText());
            }
        });
        return out;
    }

    /** The one replica the node runs itself. */
    private String ownReplica(E2eHost n) {
        List<String> own = n.vms().values().stream().filter(vm -> nodeName(n).equals(vm.path("node").asText()))
                .map(vm -> vm.path("name").asText()).toList();
        assertThat(own).as("replicas of %s", nodeName(n)).hasSize(1);
        return own.getFirst();
    }

    private String nodeName(E2eHost n) {
        return n == n1 ? "n1" : "n2";
    }

    /** Node name → state as {@code n} lists the cluster's nodes; empty while it does not answer. */
    private static Map<String, String> states(E2eHost n) {
        Map<String, String> out = new TreeMap<>();
        E2eHost.Http r = n.get("/api/v1/nodes");
        if (r.status() == 200) {
            n.parse(r.body()).path("nodes").forEach(node -> out.put(node.path("name").asText(), node.path("state").asText()));
        }
        return out;
    }

    /** "a.b.c." of the node's own /24, from the node list. */
    private String subnetPrefix(E2eHost n) {
        String self = nodeName(n);
        for (JsonNode node : n.getJson("/api/v1/nodes").path("nodes")) {
            if (self.equals(node.path("name").asText())) {
                String cidr = node.path("subnet").asText();
                assertThat(cidr).as("subnet of %s", self).endsWith(".0/24");
                return cidr.substring(0, cidr.length() - "0/24".length());
            }
        }
        throw new AssertionError("node " + self + " not in its own list");
    }

    /** Running, answering the example's page on its IP from inside the node's namespace and through the agent. */
    private void assertServes(E2eHost n, String name) {
        var boot = await(name + " serves on " + n.api).atMost(BOOT).pollInterval(Duration.ofSeconds(2));
        boot.untilAsserted(() -> assertThat(n.vm(name).path("status").asText()).isEqualTo("running"));
        String ip = n.vm(name).path("ip_address").asText();
        assertThat(ip).as("%s has an IP", name).isNotEmpty();
        boot.untilAsserted(() -> assertThat(n.curlInNetns(ip, "/")).isEqualTo(HTTPD_PAGE));
    }

    @Override
    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (E2eHost n : new E2eHost[] {n1, n2}) {
            if (n != null) {
                b.append("\n===== node ").append(n.api).append(" (").append(n.netns).append(")").append(n.diagnostics(60));
            }
        }
        if (etcd != null) {
            b.append("\n----- tail of etcd log -----\n").append(E2eHost.tail(etcdDir.resolve("e1.log"), 30));
        }
        return b.toString();
    }

    @Override
    String logTag() {
        return "cluster-e2e";
    }
}
