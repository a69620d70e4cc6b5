package io.volant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end-to-end suite of issue #9: real bin/fledge, bin/volar and bin/volantd processes, the QEMU backend, guests
 * in a network namespace of the test's own. The steps build on each other (one volantd, one deployment), so they
 * run in order and a failed step skips the rest; teardown always removes VMs, volantd, namespace and files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(FailureDiagnostics.class)
class VolantE2eTest extends E2eSteps {
    private static final String HTTPD_PAGE = "Hello from BusyBox httpd in a Volant microVM! 🚀";
    private static final String OCI_PAGE = "Hello from an OCI image in a Volant microVM! 🚀";
    /** TCG boots of a JVM agent take 20-60 s, several at once on two cores; be generous. */
    private static final Duration BOOT = Duration.ofMinutes(8);

    private final Instant began = Instant.now();
    private final List<String> freedIps = new ArrayList<>();
    private final String marker = "volant-e2e-marker-" + UUID.randomUUID();

    @BeforeAll
    void startVolantd() throws Exception {
        io.volant.testing.HostRequirements.require("root".equals(System.getProperty("user.name")) || "0".equals(uid()),
                "the e2e suite needs root (network namespace, bridge, taps)");
        Path root = Path.of(System.getProperty("volant.root", "..")).toAbsolutePath().normalize();
        for (String needed : List.of("volantd/target/volantd.jar", "volar/target/volar.jar", "fledge/target/fledge.jar",
                "guest/build/volant-init", "build/agent-bundle/kestrel.argv", "build/kernel/vmlinuz", "build/kernel/release")) {
            assertThat(root.resolve(needed)).as("%s (build with scripts/build.sh and scripts/fetch-kernel.sh first)", needed).exists();
        }
        host = E2eHost.create(root, Path.of(System.getProperty("volant.e2e.reports", "target/e2e-logs")));
        try {
            log("work dir " + host.work + ", namespace " + host.netns + ", API " + host.api);
            host.must(Cmd.run(E2eHost.COMMAND_TIMEOUT, root.resolve("scripts/build-base-initramfs.sh").toString(),
                    host.work.resolve("base-initramfs.cpio.gz").toString()));
            host.volantd().start();
            awaitVolantdUp();
            log("volantd up (pid " + host.volantd().pid() + ")");
        } catch (Exception | AssertionError e) {
            System.err.println("e2e setup failed: " + e + "\n" + host.diagnostics(60));
            throw e;
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        log("e2e wall time " + Duration.between(began, Instant.now()).toSeconds() + " s");
    }

    @Test
    @Order(1)
    void bothExamplesBuildWithFledgeAndInstallFromTheirGeneratedManifests() throws IOException {
        Path plugins = host.buildHttpdExample();

        // The OCI example builds from a copy, so the image layout is not written into the source tree.
        Path oci = Files.createDirectories(host.work.resolve("oci"));
        for (String f : List.of("fledge.toml", "manifest.toml")) {
            Files.copy(host.root.resolve("examples/oci-httpd").resolve(f), oci.resolve(f));
        }
        host.must(Cmd.run(E2eHost.COMMAND_TIMEOUT, host.root.resolve("examples/oci-httpd/build-image.sh").toString(),
                oci.resolve("image-layout").toString()));
        host.must(host.fledge("build", "-c", oci.resolve("fledge.toml").toString(), "-o", plugins.resolve("oci-httpd.img").toString()));

        assertThat(host.volarOk("plugins", "install", "--manifest", plugins.resolve("httpd.cpio.gz.manifest.json").toString()))
                .contains("Plugin httpd 0.1.0 installed");
        assertThat(host.volarOk("plugins", "install", "--manifest", plugins.resolve("oci-httpd.img.manifest.json").toString()))
                .contains("Plugin oci-httpd 0.1.0 installed");
        assertThat(host.volarOk("plugins", "list")).contains("httpd").contains("oci-httpd");
    }

    @Test
    @Order(2)
    void aDeploymentOfThreeReplicasAnswersOnEveryIpAndThroughTheAgentProxyWithItsWorkloadRunning() throws IOException {
        Path config = host.work.resolve("web.json");
        Files.writeString(config, "{\"plugin\":\"httpd\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":512}}\n");
        assertThat(host.volarOk("deployments", "create", "web", "--config", config.toString(), "--replicas", "3",
                "--wait", "--wait-timeout", "10m")).contains("Deployment web created with 3 replicas");

        assertThat(host.vms().keySet()).containsExactly("web-1", "web-2", "web-3");
        for (String name : List.of("web-1", "web-2", "web-3")) {
            assertServes(name, HTTPD_PAGE);
        }
        assertThat(host.deployment("web").path("ready_replicas").asInt()).isEqualTo(3);
        // The baseline for the CPU step: one vCPU now, seen through volantd → kestrel → the CGI.
        assertThat(host.volarOk("vms", "action", "web-1", "nproc").strip()).isEqualTo("1");
    }

    @Test
    @Order(3)
    void scalingToFiveAddsWeb4AndWeb5AndScalingToTwoRemovesTheHighestThree() {
        Map<String, Long> pidsBefore = pids();
        assertThat(host.volarOk("deployments", "scale", "web", "5", "--wait", "--wait-timeout", "10m"))
                .contains("Deployment web scaled to 5 replicas");
        assertThat(host.vms().keySet()).containsExactly("web-1", "web-2", "web-3", "web-4", "web-5");
        assertServes("web-4", HTTPD_PAGE);
        assertServes("web-5", HTTPD_PAGE);
        for (String name : List.of("web-3", "web-4", "web-5")) {
            freedIps.add(host.vm(name).path("ip_address").asText());
        }
        Map<String, Long> pidsAtFive = pids();
        assertThat(pidsAtFive).containsAllEntriesOf(pidsBefore);

        assertThat(host.volarOk("deployments", "scale", "web", "2", "--wait", "--wait-timeout", "10m"))
                .contains("Deployment web scaled to 2 replicas");
        await("web-3..5 gone").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(host.vms().keySet()).containsExactly("web-1", "web-2"));
        assertThat(pids()).containsEntry("web-1", pidsBefore.get("web-1")).containsEntry("web-2", pidsBefore.get("web-2"));
        for (String name : List.of("web-3", "web-4", "web-5")) {
            long pid = pidsAtFive.get(name);
            await(name + "'s QEMU exits").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        }
        assertThat(host.volarOk("deployments", "list")).contains("web");
        assertThat(host.deployment("web").path("desired_replicas").asInt()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void freedAddressesAreLeasedAgainToTheNextVmsAnOciRootfsVmAndOneWithACloudInitSeed() throws IOException {
        String lowestFreed = freedIps.stream().min(Comparator.comparing(VolantE2eTest::ipNum)).orElseThrow();
        Path seeded = host.work.resolve("seeded.json");
        String userData = "#cloud-config\\n# " + marker + "\\n";
        Files.writeString(seeded, "{\"plugin\":\"httpd\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":512},"
                + "\"cloud_init\":{\"user_data\":{\"inline\":true,\"content\":\"" + userData + "\"}}}\n");
        assertThat(host.volarOk("vms", "create", "seeded", "--plugin", "httpd", "--config", seeded.toString()))
                .contains("VM seeded created with IP " + lowestFreed);
        String ociOut = host.volarOk("vms", "create", "oci", "--plugin", "oci-httpd", "--cpu", "1", "--memory", "512");
        String ociIp = host.vm("oci").path("ip_address").asText();
        assertThat(ociOut).contains("VM oci created with IP " + ociIp);
        assertThat(freedIps).contains(ociIp);
        // Both boot while the next steps run; steps 8 and 9 check what they serve.
    }

    @Test
    @Order(5)
    void killingOneReplicasQemuHealsTheDeploymentBackToTwoReadyReplicas() {
        JsonNode before = host.vm("web-2");
        long pid = before.path("pid").asLong();
        assertThat(E2eHost.cmdline(pid)).as("pid %d must be a QEMU of this run", pid).contains(host.runDir + "/").contains("qemu");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        log("killed web-2's QEMU (pid " + pid + ")");
        await("web-2 relaunched and the deployment ready again").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    JsonNode vm = host.vm("web-2");
                    assertThat(vm.path("status").asText()).isEqualTo("running");
                    assertThat(vm.path("pid").asLong()).isNotEqualTo(pid);
                    assertThat(host.deployment("web").path("ready_replicas").asInt()).isEqualTo(2);
                });
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertServes("web-2", HTTPD_PAGE);
        assertThat(host.vm("web-2").path("ip_address").asText()).isEqualTo(before.path("ip_address").asText());
        assertThat(host.vms().keySet()).containsExactly("oci", "seeded", "web-1", "web-2");
    }

    @Test
    @Order(6)
    void volantdKilledWithSigkillAdoptsItsRunningVmsOnRestartWithoutDuplicates() throws Exception {
        await("every VM running").atMost(BOOT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(host.vms().values()).allSatisfy(vm -> assertThat(vm.path("status").asText()).isEqualTo("running")));
        Map<String, Long> pids = pids();
        List<Long> qemus = host.qemuPids();
        assertThat(qemus).containsExactlyInAnyOrderElementsOf(pids.values());
        JsonNode deploymentBefore = host.deployment("web");

        long oldPid = host.volantd().pid();
        host.volantd().kill9();
        log("volantd pid " + oldPid + " killed with SIGKILL; VMs still running: " + host.qemuPids());
        assertThat(host.qemuPids()).containsExactlyInAnyOrderElementsOf(qemus);

        host.volantd().start();
        awaitVolantdUp();
        log("volantd restarted (pid " + host.volantd().pid() + ")");
        Map<String, JsonNode> after = host.vms();
        assertThat(after.keySet()).containsExactly("oci", "seeded", "web-1", "web-2");
        assertThat(pids()).isEqualTo(pids);
        assertThat(after.values()).allSatisfy(vm -> assertThat(vm.path("status").asText()).isEqualTo("running"));
        await("deployment ready after the restart").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(host.deployment("web").path("ready_replicas").asInt()).isEqualTo(2));
        JsonNode web = host.deployment("web");
        assertThat(web.path("desired_replicas").asInt()).isEqualTo(2);
        for (String member : List.of("desired_replicas", "config", "revision", "created_at")) {
            assertThat(web.path(member)).as("deployment %s after the restart", member).isEqualTo(deploymentBefore.path(member));
        }
        // Nothing relaunched, nothing added: the same QEMU processes, the same names.
        assertThat(host.qemuPids()).containsExactlyInAnyOrderElementsOf(qemus);
        assertThat(host.vms().keySet()).containsExactly("oci", "seeded", "web-1", "web-2");
        assertServes("web-1", HTTPD_PAGE);
    }

    @Test
    @Order(7)
    void scalingWeb1ToTwoCpusWithRestartBootsItWithTwoVcpus() {
        long pid = host.vm("web-1").path("pid").asLong();
        host.volarOk("vms", "scale", "web-1", "--cpu", "2", "--restart");
        await("web-1 answers nproc = 2").atMost(BOOT).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            Cmd.Result r = host.volar("vms", "action", "web-1", "nproc");
            assertThat(r.ok()).as(r.describe()).isTrue();
            assertThat(r.out().strip()).isEqualTo("2");
        });
        JsonNode vm = host.vm("web-1");
        assertThat(vm.path("cpu_cores").asInt()).isEqualTo(2);
        assertThat(vm.path("pid").asLong()).isNotEqualTo(pid);
        assertThat(E2eHost.cmdline(vm.path("pid").asLong())).contains("-smp 2");
        await("deployment ready").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(host.deployment("web").path("ready_replicas").asInt()).isEqualTo(2));
    }

    @Test
    @Order(8)
    void anOciRootfsPluginVmBootsAndServesItsImagesPage() {
        assertServes("oci", OCI_PAGE);
    }

    @Test
    @Order(9)
    void aVmWithACloudInitSeedSeesItsUserData() {
        assertServes("seeded", HTTPD_PAGE);
        await("seeded prints its user-data").atMost(BOOT).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            Cmd.Result r = host.volar("vms", "action", "seeded", "userdata");
            assertThat(r.ok()).as(r.describe()).isTrue();
            assertThat(r.out()).contains("#cloud-config").contains(marker);
        });
        // A VM without user-data override still has a seed; its user-data does not carry this run's marker.
        assertThat(host.volarOk("vms", "action", "web-2", "userdata")).doesNotContain(marker);
    }

    @Test
    @Order(10)
    void deletingTheDeploymentAndTheVmsLeavesNoQemuTapLeaseSeedOrSocket() {
        assertThat(host.volarOk("deployments", "delete", "web")).contains("Deployment web deleted");
        host.volarOk("vms", "delete", "seeded");
        host.volarOk("vms", "delete", "oci");

        await("no VM listed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(host.vms()).isEmpty());
        assertThat(host.get("/api/v1/deployments/web").status()).isEqualTo(404);
        await("no QEMU process of this run").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(host.qemuPids()).isEmpty());
        assertThat(host.links()).doesNotContain("vttap-");
        assertThat(host.leasedAddresses()).isZero();
        List<String> runFiles = E2eHost.filesUnder(host.runDir).stream().filter(f -> !f.startsWith("cache/")).toList();
        assertThat(runFiles).as("files left in the runtime dir").isEmpty();
        List<String> leftovers = new ArrayList<>();
        for (String f : E2eHost.filesUnder(host.dataDir)) {
            if (f.endsWith("-seed.img") || E2eHost.isSocket(host.dataDir.resolve(f))) {
                leftovers.add(f);
            }
        }
        assertThat(leftovers).as("seeds or sockets left in the data dir").isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The VM is running with an IP, serves {@code page} on port 80, through the agent proxy, and /healthz says running. */
    private void assertServes(String name, String page) {
        ConditionFactory boot = await(name + " serves").atMost(BOOT).pollInterval(Duration.ofSeconds(2));
        boot.untilAsserted(() -> assertThat(host.vm(name).path("status").asText()).isEqualTo("running"));
        String ip = host.vm(name).path("ip_address").asText();
        assertThat(ip).as("%s has an IP", name).isNotEmpty();
        boot.untilAsserted(() -> assertThat(host.curlInNetns(ip, "/")).isEqualTo(page));
        boot.untilAsserted(() -> {
            E2eHost.Http r = host.get("/api/v1/vms/" + name + "/agent/v1/");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(page);
        });
        boot.untilAsserted(() -> {
            E2eHost.Http r = host.get("/api/v1/vms/" + name + "/agent/healthz");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(host.parse(r.body()).path("workload").path("state").asText()).isEqualTo("running");
        });
    }

    private Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        host.vms().forEach((name, vm) -> out.put(name, vm.path("pid").asLong()));
        return out;
    }

    private void awaitVolantdUp() {
        await("volantd answers /healthz").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!host.volantd().alive()) {
                        throw new AssertionError("volantd exited:\n" + E2eHost.tail(host.volantd().log(), 40));
                    }
                    return host.apiUp();
                });
    }

    private static long ipNum(String ip) {
        long n = 0;
        for (String part : ip.split("\\.")) {
            n = n * 256 + Long.parseLong(part);
        }
        return n;
    }

    private static String uid() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[1]).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    String logTag() {
        return "e2e";
    }
}
