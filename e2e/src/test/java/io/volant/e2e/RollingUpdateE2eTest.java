package io.volant.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14 on real VMs: a deployment {@code web} of 3 BusyBox httpd replicas under QEMU is updated to a config whose
 * initramfs serves a different page. Every 0.5 s during the rollout every member is asked for its page from inside
 * the namespace; at least 2 answer at every probe, and at the end every replica ({@code web-1..3}) serves the new
 * page. Own work dir, namespace and volantd ({@link E2eHost} with tag {@code r}); teardown always runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollingUpdateE2eTest {
    private static final String OLD_PAGE = "Hello from BusyBox httpd in a Volant microVM! 🚀";
    private static final String NEW_PAGE = "Rolled out by Volant: revision 2";
    private static final Duration PROBE_PERIOD = Duration.ofMillis(500);

    private E2eHost host;

    @BeforeAll
    void startVolantd() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the e2e suite needs root (network namespace, bridge, taps)");
        Path root = Path.of(System.getProperty("volant.root", "..")).toAbsolutePath().normalize();
        for (String needed : List.of("volantd/target/volantd.jar", "volar/target/volar.jar", "fledge/target/fledge.jar",
                "guest/build/volant-init", "build/agent-bundle/kestrel.argv", "build/kernel/vmlinuz", "build/kernel/release")) {
            assertThat(root.resolve(needed)).as("%s (build with scripts/build.sh and scripts/fetch-kernel.sh first)", needed).exists();
        }
        host = E2eHost.create(root, Path.of(System.getProperty("volant.e2e.reports", "target/e2e-logs")), "r");
        host.volantd().start();
        await("volantd up").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(host::apiUp);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    /** Builds the example, and a copy whose page is {@link #NEW_PAGE}; returns the copy's initramfs. */
    private Path buildPlugins() throws Exception {
        Path plugins = host.buildHttpdExample();
        assertThat(host.volarOk("plugins", "install", "--manifest", plugins.resolve("httpd.cpio.gz.manifest.json").toString()))
                .contains("Plugin httpd 0.1.0 installed");
        Path v2 = Files.createDirectories(host.work.resolve("httpd-v2"));
        for (String f : List.of("fledge.toml", "manifest.toml")) {
            Files.copy(host.root.resolve("examples/initramfs-httpd").resolve(f), v2.resolve(f));
        }
        // Every CGI the example's fledge.toml maps (the list grows with the example), kept executable by Files.copy.
        Path payload = Files.createDirectories(v2.resolve("payload/cgi-bin"));
        try (var cgis = Files.list(host.root.resolve("examples/initramfs-httpd/payload/cgi-bin"))) {
            for (Path cgi : cgis.toList()) {
                Files.copy(cgi, payload.resolve(cgi.getFileName().toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.writeString(v2.resolve("payload/index.html"), NEW_PAGE);
        host.must(host.fledge("build", "-c", v2.resolve("fledge.toml").toString(), "-o", plugins.resolve("httpd-v2.cpio.gz").toString()));
        return plugins.resolve("httpd-v2.cpio.gz");
    }

    /** One probe: every member's page (or "" when it does not answer within 2 s), by name. */
    private Map<String, String> probe(ExecutorService pool) throws Exception {
        Map<String, String> pages = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (Map.Entry<String, JsonNode> vm : host.vms().entrySet()) {
            String ip = vm.getValue().path("ip_address").asText();
            if (vm.getKey().startsWith("web-") && !ip.isEmpty()) {
                running.add(pool.submit(() -> {
                    Cmd.Result r = Cmd.run(Duration.ofSeconds(10), "ip", "netns", "exec", host.netns, "curl", "-s", "-m", "2",
                            "http://" + ip + "/");
                    pages.put(vm.getKey(), r.ok() ? r.out() : "");
                }));
            }
        }
        for (Future<?> f : running) {
            f.get();
        }
        return pages;
    }

    private static long answered(Map<String, String> pages) {
        return pages.values().stream().filter(p -> p.equals(OLD_PAGE) || p.equals(NEW_PAGE)).count();
    }

    @Test
    void aRollingUpdateOfThreeReplicasKeepsTwoAnsweringAtEveryProbeAndEndsServingTheNewPage() throws Exception {
        Path v2 = buildPlugins();
        Path c1 = host.work.resolve("web.json");
        Files.writeString(c1, "{\"plugin\":\"httpd\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":512}}\n");
        assertThat(host.volarOk("deployments", "create", "web", "--config", c1.toString(), "--replicas", "3",
                "--wait", "--wait-timeout", "15m")).contains("Deployment web created with 3 replicas");
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            await("all three serve the old page").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> answered(probe(pool)) == 3);

            Path c2 = host.work.resolve("web-v2.json");
            Files.writeString(c2, "{\"plugin\":\"httpd\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":512},"
                    + "\"initramfs\":{\"url\":\"" + v2 + "\"}}\n");
            Cmd.Result[] update = new Cmd.Result[1];
            Thread updater = Thread.ofPlatform().start(() -> update[0] = host.volar("deployments", "update", "web",
                    "--config", c2.toString(), "--max-surge", "1", "--max-unavailable", "0", "--wait", "--wait-timeout", "20m"));
            List<String> log = new ArrayList<>();
            long minAnswered = Long.MAX_VALUE;
            int probes = 0;
            Instant next = Instant.now();
            while (updater.isAlive()) {
                Map<String, String> pages = probe(pool);
                long n = answered(pages);
                minAnswered = Math.min(minAnswered, n);
                probes++;
                log.add(Instant.now() + " answered=" + n + " " + pages.keySet().stream().sorted()
                        .map(k -> k + "=" + (pages.get(k).equals(NEW_PAGE) ? "new" : pages.get(k).equals(OLD_PAGE) ? "old" : "-"))
                        .toList());
                next = next.plus(PROBE_PERIOD);
                Duration wait = Duration.between(Instant.now(), next);
                if (!wait.isNegative()) {
                    updater.join(wait); // paced by the updater thread, not a sleep: it ends the loop when it exits
                } else {
                    next = Instant.now();
                }
            }
            System.out.println("rolling update probes=" + probes + " min_answered=" + minAnswered + "\n" + String.join("\n", log));
            assertThat(update[0].ok()).as(update[0].describe()).isTrue();
            assertThat(probes).as("probed during the rollout").isGreaterThan(10);
            assertThat(minAnswered).as("replicas answering at the worst probe").isGreaterThanOrEqualTo(2);

            assertThat(host.vms().keySet()).containsExactly("web-1", "web-2", "web-3");
            Map<String, String> end = probe(pool);
            assertThat(end).containsOnlyKeys("web-1", "web-2", "web-3").allSatisfy((k, v) -> assertThat(v).isEqualTo(NEW_PAGE));
            JsonNode d = host.deployment("web");
            assertThat(d.path("revision").asInt()).isEqualTo(2);
            assertThat(d.path("updated_replicas").asInt()).isEqualTo(3);
            assertThat(d.path("rollout").path("status").asText()).isEqualTo("complete");
        }
    }
}
