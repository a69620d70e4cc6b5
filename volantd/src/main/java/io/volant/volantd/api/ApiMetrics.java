package io.volant.volantd.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Prometheus metrics of api-and-cli.md §6.3. Domain gauges are refreshed from the services at scrape time
 * (no background polling); HTTP counters are fed by the request logger.
 */
final class ApiMetrics {
    private final PrometheusMeterRegistry registry;
    private final ApiServices services;
    private final MultiGauge vms;
    private final MultiGauge plugins;
    private final MultiGauge desired;
    private final MultiGauge ready;
    private final Counter eventsDropped;

    ApiMetrics(PrometheusMeterRegistry registry, ApiServices services) {
        this.registry = registry;
        this.services = services;
        this.vms = MultiGauge.builder("volant.vms").description("VMs by status").register(registry);
        this.plugins = MultiGauge.builder("volant.plugins").description("Installed plugins").register(registry);
        this.desired = MultiGauge.builder("volant.deployment.replicas.desired").register(registry);
        this.ready = MultiGauge.builder("volant.deployment.replicas.ready").register(registry);
        DeploymentService d = services.deployments();
        FunctionCounter.builder("volant.deployment.passes", d, x -> x.stats().passes())
                .description("Deployment controller passes run").register(registry);
        FunctionCounter.builder("volant.deployment.pass.errors", d, x -> x.stats().errors())
                .description("Deployment controller passes that ended in an error (retried with backoff)").register(registry);
        FunctionCounter.builder("volant.deployment.pass.seconds", d, x -> x.stats().passTime().toNanos() / 1e9)
                .description("Time spent in deployment controller passes").register(registry);
        Gauge.builder("volant.deployment.queue.depth", d, x -> x.stats().queueDepth())
                .description("Deployments waiting for a controller pass").register(registry);
        this.eventsDropped = Counter.builder("volant.events.dropped")
                .description("VM events lost by SSE subscribers that fell behind").register(registry);
    }

    void request(String method, String route, int status, Duration latency) {
        Counter.builder("volant.http.requests").tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry).increment();
        Timer.builder("volant.http.request.duration").tags("method", method, "route", route)
                .register(registry).record(latency);
    }

    void eventDropped() {
        eventsDropped.increment();
    }

    String scrape() {
        List<Vm> all = services.vms().list(VmQuery.all()).items();
        Map<String, Long> byStatus = new TreeMap<>(all.stream().collect(Collectors.groupingBy(v -> v.status().wire(), Collectors.counting())));
        vms.register(byStatus.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("status", e.getKey()), e.getValue())).toList(), true);
        Map<Boolean, Long> byEnabled = services.plugins().list().stream().collect(Collectors.partitioningBy(Plugin::enabled, Collectors.counting()));
        plugins.register(byEnabled.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("enabled", e.getKey().toString()), e.getValue())).toList(), true);
        List<Deployment> deployments = services.deployments().list();
        desired.register(deployments.stream().map(d -> MultiGauge.Row.of(Tags.of("deployment", d.name()), d.desiredReplicas())).toList(), true);
        ready.register(deployments.stream().map(d -> MultiGauge.Row.of(Tags.of("deployment", d.name()), d.readyReplicas())).toList(), true);
        return registry.scrape();
    }
}
