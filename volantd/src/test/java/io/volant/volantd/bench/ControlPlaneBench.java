package io.volant.volantd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volant.manifest.Manifests;
import io.volant.volantd.Volantd;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmQuery;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control-plane overhead on the simulated backend (targets: create p50 ≤ 5 ms, deployment 0→1000 ≤ 10 s, list of
 * 1000 VMs p99 ≤ 20 ms). Prints measurements, asserts only correctness; runs only with {@code -Dvolant.bench=true}:
 * {@code mvn -pl volantd test -Dtest=ControlPlaneBench -Dvolant.bench=true}.
 */
class ControlPlaneBench {
    @TempDir
    Path dir;

    private Volantd open() {
        VolantdConfig cfg = ConfigLoader.load(Map.of(
                "VOLANT_DB_PATH", dir.resolve("state.db").toString(),
                "VOLANT_RUNTIME_DIR", dir.resolve("run").toString(),
                "VOLANT_RUNTIME_BACKEND", "simulated",
                "VOLANT_SUBNET", "10.20.0.0/16",
                "VOLANT_HOST_IP", "10.20.0.1",
                "VOLANT_STOP_GRACE_SECONDS", "0"), dir.toString(), false);
        Volantd v = Volantd.builder(cfg).build();
        v.start();
        v.plugins().install(Manifests.parse("{\"schema_version\":\"1.0\",\"name\":\"caddy\",\"version\":\"0.1.0\",\"runtime\":\"caddy\","
                + "\"resources\":{\"cpu_cores\":2,\"memory_mb\":512},\"initramfs\":{\"url\":\"/var/lib/volant/caddy.cpio.gz\"},"
                + "\"workload\":{\"type\":\"http\",\"base_url\":\"http://127.0.0.1:80\",\"entrypoint\":[\"/bin/caddy\"]}}"));
        return v;
    }

    @Test
    void measure_create_scale_and_list() {
        assumeTrue(Boolean.getBoolean("volant.bench"), "benchmark: run with -Dvolant.bench=true");
        try (Volantd v = open()) {
            int n = 1000;
            long[] create = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                v.vms().create(CreateVmRequest.of("vm-" + i, "caddy"));
                create[i] = System.nanoTime() - t;
            }
            report("create (standalone, n=1000)", create);

            long[] list = new long[300];
            long[] cpu = new long[300];
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < list.length; i++) {
                long t = System.nanoTime();
                long c = mx.getCurrentThreadCpuTime();
                assertThat(v.vms().list(VmQuery.all()).total()).isEqualTo(n);
                cpu[i] = mx.getCurrentThreadCpuTime() - c;
                list[i] = System.nanoTime() - t;
            }
            report("list 1000 VMs (service level, n=300)", list);
            report("list 1000 VMs, CPU time of the calling thread", cpu);
            long[] raw = new long[300];
            try (var s = io.volant.volantd.store.Store.open(dir.resolve("state.db"))) {
                for (int i = 0; i < raw.length; i++) {
                    long t = System.nanoTime();
                    s.read(tx -> tx.vms().list());
                    raw[i] = System.nanoTime() - t;
                }
            }
            report("store list 1000 rows (n=300)", raw);
        }
    }

    @Test
    void measure_deployment_scale_to_1000() {
        assumeTrue(Boolean.getBoolean("volant.bench"), "benchmark: run with -Dvolant.bench=true");
        try (Volantd v = open()) {
            v.deployments().create("web", 0, VmConfig.of("caddy", 0, 0));
            long t = System.nanoTime();
            var d = v.deployments().scale("web", 1000);
            long ms = (System.nanoTime() - t) / 1_000_000;
            assertThat(d.readyReplicas()).isEqualTo(1000);
            System.out.printf("BENCH deployment 0->1000: %d ms%n", ms);
            t = System.nanoTime();
            v.deployments().scale("web", 0);
            System.out.printf("BENCH deployment 1000->0: %d ms%n", (System.nanoTime() - t) / 1_000_000);
        }
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("BENCH %s: p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%n", what, s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.9)] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
    }
}
