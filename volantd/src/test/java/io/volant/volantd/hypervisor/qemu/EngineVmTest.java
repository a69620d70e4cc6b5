package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.manifest.Manifests;
import io.volant.volantd.Volantd;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.console.ConsoleProvider;
import io.volant.volantd.console.ConsoleSession;
import io.volant.volantd.hypervisor.Backends;
import io.volant.volantd.testing.GuestFixture;
import io.volant.volantd.testing.RealVmCase;
import io.volant.volantd.testing.NetnsFixture;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole engine with the real QEMU backend (TCG) inside a fresh network namespace ({@code VOLANT_NETNS}): the
 * startup bootstrap creates the bridge there, {@code VmService.create} leases an IP, prepares the tap and boots a
 * busybox guest that answers HTTP 200 on the leased IP; the console hub shows boot output and takes input;
 * {@code destroy} leaves no QEMU process, tap, lease, socket or staged file behind.
 */
class EngineVmTest extends RealVmCase {
    private static final String BRIDGE = "vbre2e";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void engine_boots_a_bridged_vm_that_serves_http_and_destroy_cleans_up() throws Exception {
        try (NetnsFixture ns = new NetnsFixture(null, null)) {
            Map<String, String> env = GuestFixture.qemuEnv(dir, BRIDGE, "10.231.9");
            env.put("VOLANT_API_LISTEN", "127.0.0.1:7777");
            VolantdConfig config = ConfigLoader.load(env, dir.toString(), true);
            Map<String, String> procEnv = new HashMap<>(System.getenv());
            procEnv.put(Backends.NETNS_ENV, ns.name);
            Backends.HostRuntime host = Backends.create(config, procEnv);
            assertThat(host.backend()).isEqualTo("qemu");
            assertThat(ns.exec("ip", "-o", "addr", "show", "dev", BRIDGE)).contains("10.231.9.1/24");

            Volantd volantd = Volantd.builder(config).launcher(host.launcher()).networkManager(host.network())
                    .seedBuilder(host.seeds()).vfioManager(host.vfio()).build();
            String ip;
            String tap = host.network().tapName("web");
            long pid;
            try {
                volantd.start();
                volantd.plugins().install(Manifests.parse("""
                        {"schema_version":"1.0","name":"busyweb","version":"0.1.0","runtime":"busyweb",
                         "resources":{"cpu_cores":1,"memory_mb":256},
                         "initramfs":{"url":"%s"},
                         "workload":{"type":"http","base_url":"http://127.0.0.1:80","entrypoint":["/bin/httpd"]}}
                        """.formatted(initramfs)));
                Vm vm = volantd.vms().create(CreateVmRequest.of("web", "busyweb"));
                assertThat(vm.status()).isEqualTo(VmStatus.RUNNING);
                ip = vm.ipAddress();
                pid = vm.pid();
                assertThat(ip).isEqualTo("10.231.9.2");

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                        ns.tryExec("curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}",
                                "http://" + ip + "/").out().equals("200"));

                // Agent transport into the namespace (docs/operations.md §3.1): plain HTTP to the guest's httpd.
                io.volant.volantd.agent.AgentHttp.Response index;
                try (var transports = new io.volant.volantd.agent.AgentTransports(ns.name);
                        var http = new io.volant.volantd.agent.AgentHttp()) {
                    index = http.request(transports.select("web", ip, null), 80, "GET", "/index.html", Map.of(),
                            new byte[0], 1 << 16);
                }
                assertThat(index.status()).isEqualTo(200);
                assertThat(index.text()).isEqualTo("ok\n");

                ConsoleHub hub = ((ConsoleProvider) volantd.launcher()).consoleHub();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        new String(hub.buffered("web"), StandardCharsets.UTF_8).contains(GuestFixture.BOOT_MARKER));
                try (ConsoleSession session = hub.attach("web", b -> {
                    synchronized (seen) {
                        seen.writeBytes(b);
                    }
                })) {
                    session.write("echo eng-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
                    await().atMost(Duration.ofSeconds(30)).until(() -> text(seen).contains("eng-42"));
                }
                assertThat(text(seen)).contains(GuestFixture.BOOT_MARKER + " ip=" + ip + " mac=" + vm.macAddress());

                volantd.vms().destroy("web");
            } finally {
                volantd.close();
            }

            GuestFixture.assertNothingLeft(dir, ns, pid, tap);
        }
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
