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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Templates end to end (docs/templates.md): the httpd example as a deployment whose replicas are clones of one
 * warm template, on real QEMU (TCG) in the test's own network namespace, through bin/volar and bin/volantd. Each
 * replica answers on its own IP with its own MAC and hostname, through the agent proxy and its actions; two clones
 * differ in randomness and keep the host's clock (within 1 s, asserted in the last step); a killed clone is healed by a new clone; a SIGKILLed volantd
 * adopts the clones and its template; deleting the deployment leaves nothing. Steps build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(FailureDiagnostics.class)
class TemplateE2eTest implements FailureDiagnostics.Source {
    private static final String HTTPD_PAGE = "Hello from BusyBox httpd in a Volant microVM! 🚀";
    /** One template boot (a cold boot of the JVM agent under TCG) plus clones, two cores shared: be generous. */
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final List<String> SIX = List.of("tw-1", "tw-2", "tw-3", "tw-4", "tw-5", "tw-6");

    private final Instant began = Instant.now();
    private E2eHost host;
    private String failedStep;
    private final Map<String, Long> clockOffsets = new LinkedHashMap<>();

    @BeforeAll
    void startVolantd() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the e2e suite needs root (netns, bridge, taps)");
        Path root = Path.of(System.getProperty("volant.root", "..")).toAbsolutePath().normalize();
        for (String needed : List.of("volantd/target/volantd.jar", "volar/target/volar.jar", "fledge/target/fledge.jar",
                "guest/build/volant-init", "build/agent-bundle/kestrel.argv", "build/agent-bundle.img", "build/kernel/vmlinuz")) {
            assertThat(root.resolve(needed)).as("%s (build with scripts/build.sh first)", needed).exists();
        }
        host = E2eHost.create(root, Path.of(System.getProperty("volant.e2e.reports", "target/e2e-logs")));
        host.must(Cmd.run(E2eHost.COMMAND_TIMEOUT, root.resolve("scripts/build-base-initramfs.sh").toString(),
                host.work.resolve("base-initramfs.cpio.gz").toString()));
        host.volantd().start();
        awaitVolantdUp();
        log("volantd up (pid " + host.volantd().pid() + "), namespace " + host.netns);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        log("template e2e wall time " + Duration.between(began, Instant.now()).toSeconds() + " s");
    }

    @BeforeEach
    void skipAfterAFailedStep(TestInfo info) {
        assumeTrue(failedStep == null, "skipped: step '" + failedStep + "' failed");
        log("step " + info.getDisplayName());
    }

    @Test
    @Order(1)
    void theExampleBuildsAndAOneReplicaDeploymentMakesItsTemplate() throws IOException {
        Path plugins = host.buildHttpdExample();
        host.volarOk("plugins", "install", "--manifest", plugins.resolve("httpd.cpio.gz.manifest.json").toString());
        Path config = host.work.resolve("tw.json");
        Files.writeString(config, "{\"plugin\":\"httpd\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":512}}\n");
        host.volarOk("deployments", "create", "tw", "--config", config.toString(), "--replicas", "1", "--wait",
                "--wait-timeout", "10m");
        assertServes("tw-1");
        // tw-1 booted cold while the template was made in the background.
        await("template ready").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(templates().path("count").asInt()).isEqualTo(1));
        assertThat(templateFiles()).anyMatch(f -> f.endsWith(".ram")).anyMatch(f -> f.endsWith(".state"));
        assertThat(E2eHost.tail(host.volantd().log(), 400)).contains("template capture started");
        // fledge left the agent runtime out; both the cold boot and the template ran kestrel from volantd's disk.
        assertThat(Files.size(plugins.resolve("httpd.cpio.gz"))).as("example initramfs bytes").isLessThan(20_000_000);
        List<Path> consoles;
        try (var logs = Files.list(host.logDir)) {
            consoles = logs.filter(p -> p.getFileName().toString().matches("(tw-1|tpl-.*)\\.console\\.log")).toList();
        }
        assertThat(consoles).hasSize(2).allSatisfy(c -> assertThat(Files.readString(c)).as("%s", c)
                .containsPattern("C INIT: agent: /dev/vd[a-z] \\(serial volant-agent\\) on /opt/volant/agent"));
    }

    @Test
    @Order(2)
    void scaledToSixEveryCloneAnswersOnItsOwnIpWithItsOwnMacAndHostname() {
        host.volarOk("deployments", "scale", "tw", "6", "--wait", "--wait-timeout", "10m");
        assertThat(host.vms().keySet()).containsExactlyElementsOf(SIX);
        Map<String, String> macs = new HashMap<>();
        for (String name : SIX) {
            assertServes(name);
            JsonNode vm = host.vm(name);
            Map<String, String> id = identity(name);
            assertThat(id.get("hostname")).as("%s hostname", name).isEqualTo(name);
            assertThat(id.get("mac")).as("%s MAC in the guest", name).isEqualTo(vm.path("mac_address").asText());
            macs.put(name, id.get("mac"));
            assertThat(host.volarOk("vms", "action", name, "nproc").strip()).isEqualTo("1");
        }
        assertThat(macs.values()).doesNotHaveDuplicates();
        assertThat(host.vms().values().stream().map(v -> v.path("ip_address").asText())).doesNotHaveDuplicates();
        // One template for all six: no second one was made.
        assertThat(templates().path("count").asInt()).isEqualTo(1);
        String log = E2eHost.tail(host.volantd().log(), 2000);
        for (String clone : SIX.subList(1, SIX.size())) {
            assertThat(log).contains("clone started vm=" + clone + " ");
        }
    }

    @Test
    @Order(3)
    void twoClonesDifferInRandomnessAndTheirClocksAreMeasured() {
        Map<String, String> a = identity("tw-2");
        Map<String, String> b = identity("tw-5");
        assertThat(a.get("uuid")).isNotEqualTo(b.get("uuid"));
        assertThat(a.get("urandom")).hasSize(32).isNotEqualTo(b.get("urandom"));
        for (String name : List.of("tw-2", "tw-5")) {
            // The CGI's clock against the host's, read just around the request (the IP is looked up first).
            String ip = host.vm(name).path("ip_address").asText();
            long before = nowMicros();
            long guest = Long.parseLong(parse(name, host.curlInNetns(ip, "/cgi-bin/identity")).get("time_us"));
            long after = nowMicros();
            long offset = guest < before ? guest - before : guest > after ? guest - after : 0;
            clockOffsets.put(name, offset);
            log(name + " wall clock offset from the host: " + offset + " µs (request took " + (after - before) + " µs)");
        }
    }

    @Test
    @Order(4)
    void killingOneClonesQemuIsHealedByANewClone() {
        JsonNode before = host.vm("tw-3");
        long pid = before.path("pid").asLong();
        assertThat(E2eHost.cmdline(pid)).contains(host.runDir + "/").contains("qemu").contains("-incoming");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        log("killed tw-3's QEMU (pid " + pid + ")");
        await("tw-3 back as a new clone").atMost(BOOT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode vm = host.vm("tw-3");
            assertThat(vm.path("status").asText()).isEqualTo("running");
            assertThat(vm.path("pid").asLong()).isNotEqualTo(pid);
            assertThat(host.deployment("tw").path("ready_replicas").asInt()).isEqualTo(6);
        });
        assertThat(E2eHost.cmdline(host.vm("tw-3").path("pid").asLong())).contains("-incoming");
        assertServes("tw-3");
        assertThat(identity("tw-3").get("hostname")).isEqualTo("tw-3");
        assertThat(templates().path("count").asInt()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void volantdKilledWithSigkillAdoptsTheClonesAndItsTemplate() throws Exception {
        Map<String, Long> pids = pids();
        List<String> files = templateFiles();
        host.volantd().kill9();
        host.volantd().start();
        awaitVolantdUp();
        await("deployment ready after the restart").atMost(BOOT).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(host.deployment("tw").path("ready_replicas").asInt()).isEqualTo(6));
        assertThat(pids()).isEqualTo(pids);
        assertThat(host.qemuPids()).containsExactlyInAnyOrderElementsOf(pids.values());
        assertThat(templateFiles()).isEqualTo(files);
        assertThat(templates().path("count").asInt()).isEqualTo(1);
        assertThat(E2eHost.tail(host.volantd().log(), 400)).contains("template adopted");
        assertServes("tw-1");
    }

    @Test
    @Order(6)
    void deletingTheDeploymentLeavesNoRamOrStateFileQemuTapOrLease() {
        assertThat(host.volarOk("deployments", "delete", "tw")).contains("Deployment tw deleted");
        await("no VM listed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(host.vms()).isEmpty());
        await("no QEMU of this run").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(host.qemuPids()).isEmpty());
        await("template collected").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(templateFiles()).isEmpty());
        assertThat(templates().path("count").asInt()).isZero();
        assertThat(host.links()).doesNotContain("vttap-");
        assertThat(host.leasedAddresses()).isZero();
        assertThat(E2eHost.filesUnder(host.runDir).stream().filter(f -> !f.startsWith("cache/")).toList())
                .as("files left in the runtime dir").isEmpty();
    }

    @Test
    @Order(7)
    void theClonesClocksWereWithinOneSecondOfTheHost() {
        // Asserted last so that a clock outside the bound does not skip the lifecycle steps after step 3.
        assertThat(clockOffsets).hasSize(2);
        assertThat(clockOffsets.values()).allSatisfy(o -> assertThat(Math.abs(o)).as("offset µs %s", clockOffsets)
                .isLessThanOrEqualTo(1_000_000));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void assertServes(String name) {
        var boot = await(name + " serves").atMost(BOOT).pollInterval(Duration.ofSeconds(2));
        boot.untilAsserted(() -> assertThat(host.vm(name).path("status").asText()).isEqualTo("running"));
        String ip = host.vm(name).path("ip_address").asText();
        boot.untilAsserted(() -> assertThat(host.curlInNetns(ip, "/")).isEqualTo(HTTPD_PAGE));
        boot.untilAsserted(() -> {
            E2eHost.Http r = host.get("/api/v1/vms/" + name + "/agent/v1/");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(HTTPD_PAGE);
        });
    }

    /** The example's identity CGI on the VM's own IP, as key=value pairs. */
    private Map<String, String> identity(String name) {
        return parse(name, host.curlInNetns(host.vm(name).path("ip_address").asText(), "/cgi-bin/identity"));
    }

    private static Map<String, String> parse(String name, String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        assertThat(out).as("identity of %s: %s", name, body).containsKeys("hostname", "mac", "uuid", "urandom", "time_us");
        return out;
    }

    private JsonNode templates() {
        return host.parse(host.get("/api/v1/system/info").body()).path("templates");
    }

    private List<String> templateFiles() {
        return E2eHost.filesUnder(host.runDir).stream().filter(f -> f.startsWith("templates/")).toList();
    }

    private Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        host.vms().forEach((name, vm) -> out.put(name, vm.path("pid").asLong()));
        return out;
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
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

    private void log(String message) {
        System.out.println("[template-e2e " + Instant.now() + "] " + message);
    }

    @Override
    public String diagnostics() {
        return host == null ? "(no host)" : host.diagnostics(60);
    }

    @Override
    public void markFailed(String step) {
        failedStep = step;
    }
}
