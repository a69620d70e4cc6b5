package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.network.TapNames;
import io.volant.volantd.testing.GuestFixture;
import io.volant.volantd.testing.RealVmCase;
import io.volant.volantd.testing.NetnsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suspend and resume on real QEMU (TCG) through the shipped daemon in its own network namespace: the suspended VM's
 * QEMU is gone and its whole state is a file under the data dir; the resumed guest answers on the same IP through
 * the agent proxy and its uptime carries on from before the suspend (a fresh boot would start near zero). One boot.
 */
class QemuSuspendVmTest extends RealVmCase {
    private static final String BRIDGE = "vbrsusp";

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void a_suspended_vm_frees_its_qemu_and_resumes_on_the_same_ip_with_its_uptime_continued() throws Exception {
        try (NetnsFixture ns = new NetnsFixture(null, null)) {
            Map<String, String> env = GuestFixture.daemonEnv(dir, BRIDGE, "10.231.23", ns.name);
            env.put("VOLANT_DATA_DIR", dir.toString());
            try (ChildVolantd volantd = ChildVolantd.spawn(env)) {
                Api api = QemuDaemonSteps.awaitApi(volantd);
                int port = volantd.listeningPort();
                QemuDaemonSteps.installBusyweb(api, initramfs);
                Api.Resp created = api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"busyweb\"}");
                assertThat(created.status()).as("%s", created).isEqualTo(201);
                JsonNode before = created.json();
                long pid = before.path("pid").asLong();
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        api.get("/api/v1/vms/web/agent/index.html").status() == 200);
                // Long enough up that a reboot could not pass for a resume.
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() ->
                        uptime(port) >= 20);
                long upBefore = uptime(port);

                long rssBefore = rssKb(pid);
                long t0 = System.nanoTime();
                Api.Resp suspended = api.post("/api/v1/vms/web/suspend", "");
                long suspendMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(suspended.status()).as("%s", suspended).isEqualTo(200);
                assertThat(suspended.json().path("status").asText()).isEqualTo("suspended");
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
                assertThat(qemuOf(dir)).as("a QEMU naming the VM's QMP socket").isFalse();
                assertThat(ns.tryExec("ip", "link", "show", "dev", TapNames.of("web")).code()).isNotZero();
                Path state = dir.resolve("suspended/web/qemu.state");
                long stateBytes = Files.size(state);
                assertThat(stateBytes).as("the saved RAM").isGreaterThan(1L << 20);
                JsonNode info = api.get("/api/v1/system/info").json().path("suspended");
                assertThat(info.path("vms").asInt()).isEqualTo(1);
                assertThat(info.path("bytes").asLong()).isGreaterThanOrEqualTo(stateBytes);

                long t1 = System.nanoTime();
                Api.Resp resumed = api.post("/api/v1/vms/web/resume", "");
                long resumeMs = (System.nanoTime() - t1) / 1_000_000;
                assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
                JsonNode after = resumed.json();
                assertThat(after.path("status").asText()).isEqualTo("running");
                assertThat(after.path("pid").asLong()).isNotEqualTo(pid);
                for (String f : new String[] {"ip_address", "mac_address", "vsock_cid"}) {
                    assertThat(after.path(f)).as(f).isEqualTo(before.path(f));
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        api.get("/api/v1/vms/web/agent/index.html").status() == 200);
                assertThat(api.get("/api/v1/vms/web/agent/index.html").body()).isEqualTo("ok\n");
                long upAfter = uptime(port);
                long rssAfter = rssKb(after.path("pid").asLong());
                assertThat(upAfter).as("guest uptime after resume").isGreaterThanOrEqualTo(upBefore);
                System.out.printf("suspend/resume (QEMU TCG, 256 MiB): QEMU RSS %d KiB before, process gone while "
                        + "suspended, %d KiB after resume; state %d bytes; suspend %d ms, resume %d ms; guest uptime %d s "
                        + "before, %d s after%n", rssBefore, rssAfter, stateBytes, suspendMs, resumeMs, upBefore, upAfter);
                assertThat(state.getParent()).doesNotExist();

                assertThat(api.delete("/api/v1/vms/web").status()).isEqualTo(204);
                volantd.terminate();
                assertThat(volantd.waitFor(Duration.ofSeconds(60))).isZero();
            }
            assertThat(qemuOf(dir)).isFalse();
        }
    }

    /** VmRSS of {@code pid} in KiB. */
    private static long rssKb(long pid) throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    /** Whether a live process has this test's runtime dir on its command line (QEMU's sockets live there). */
    private static boolean qemuOf(Path dir) {
        String run = dir.resolve("run").toString();
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains("qemu-system")
                && c.contains(run)).orElse(false));
    }

    /** The guest's uptime in whole seconds, read on its serial console (a shell runs there). */
    private static long uptime(int port) throws Exception {
        try (GuestConsole console = GuestConsole.open(java.net.http.HttpClient.newHttpClient(), port, "web")) {
            // A nonce per reading: the console replays earlier output on connect.
            String nonce = Long.toString(System.nanoTime());
            Pattern answer = Pattern.compile("UP-" + nonce + "-(\\d+)\\.\\d+-END");
            console.type("echo UP-" + nonce + "-$(cut -d' ' -f1 /proc/uptime)-END");
            console.awaitText(Duration.ofSeconds(30), t -> answer.matcher(t).find());
            Matcher m = answer.matcher(console.text());
            m.find();
            return Long.parseLong(m.group(1));
        }
    }
}
