package io.volant.volantd.publish;

import static io.volant.volantd.publish.PublisherTest.rule;
import static io.volant.volantd.publish.PublisherTest.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.VmConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing and withdrawing ports: bad input, conflicts, and what an edit does (and does not) touch. */
class PublishServiceTest {
    @TempDir
    Path dir;
    Engine e;
    PublishService svc;

    @BeforeEach
    void setUp() {
        e = Engine.publishing(dir);
        e.install("caddy", 1, 128);
        svc = e.volantd.publishing();
        e.volantd.deployments().create("web", 2, VmConfig.of("caddy", 0, 0));
        e.volantd.vms().create(new CreateVmRequest("solo", "caddy", null, 0, 0, null, null, null,
                VmConfig.of("caddy", 0, 0)));
        e.volantd.health().orElseThrow().probeAll();
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    private static PublishService.Request tcp(int hostPort, int port) {
        return new PublishService.Request("tcp", hostPort, port);
    }

    @Test
    void publishing_a_deployment_port_installs_it_without_a_new_revision_or_new_members() {
        long web1 = e.volantd.vms().get("web-1").id();
        List<Publication> out = svc.expose("deployment", "web", new PublishService.Request("", 8080, 80));
        assertThat(out).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("tcp/8080");
            assertThat(p.state()).isEqualTo("active");
            assertThat(p.backends()).extracting(Publication.Backend::vm).containsExactly("web-1", "web-2");
        });
        assertThat(e.forwarding.current()).singleElement().extracting(f -> f.key()).isEqualTo("tcp/8080");
        var d = e.volantd.deployments().get("web");
        assertThat(d.revision()).isEqualTo(1);
        assertThat(d.config().expose()).containsExactly(new VmConfig.Expose("", "tcp", 80, 8080, ""));
        assertThat(e.volantd.vms().get("web-1").id()).isEqualTo(web1);

        assertThat(svc.unexpose("deployment", "web", null, 8080)).isEmpty();
        assertThat(e.forwarding.current()).isEmpty();
        assertThat(e.volantd.deployments().get("web").config().expose()).isEmpty();
    }

    @Test
    void publishing_a_vm_port_edits_its_config() {
        svc.expose("vm", "solo", new PublishService.Request("udp", 5353, 53));
        assertThat(e.volantd.vms().config("solo").config().expose())
                .containsExactly(new VmConfig.Expose("", "udp", 53, 5353, ""));
        assertThat(e.forwarding.current()).singleElement().extracting(f -> f.key()).isEqualTo("udp/5353");
    }

    @Test
    void bad_ports_protocols_and_duplicates_are_400s_naming_the_field() {
        assertThatThrownBy(() -> svc.expose("vm", "solo", tcp(0, 80))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("host_port must be between 1 and 65535, got 0");
        assertThatThrownBy(() -> svc.expose("vm", "solo", tcp(8080, 65536)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("port must be between 1 and 65535, got 65536");
        assertThatThrownBy(() -> svc.expose("vm", "solo", new PublishService.Request("sctp", 8080, 80)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("protocol must be tcp or udp, got \"sctp\"");
        svc.expose("vm", "solo", tcp(8080, 80));
        assertThatThrownBy(() -> svc.expose("vm", "solo", tcp(8080, 81)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("host_port tcp/8080 is already published by vm solo");
        assertThat(e.volantd.vms().config("solo").config().expose()).hasSize(1);
    }

    @Test
    void a_port_held_by_another_owner_is_a_409_naming_it_and_nothing_is_written() {
        svc.expose("vm", "solo", tcp(8080, 80));
        assertThatThrownBy(() -> svc.expose("deployment", "web", tcp(8080, 80)))
                .isInstanceOf(ConflictException.class)
                .hasMessage("host port tcp/8080 is already published by vm solo");
        assertThat(e.volantd.deployments().get("web").config().expose()).isEmpty();
        // Another protocol on the same number is another port.
        assertThat(svc.expose("deployment", "web", new PublishService.Request("udp", 8080, 80))).hasSize(1);
    }

    @Test
    void a_port_bound_by_another_process_is_a_409_naming_the_process() {
        e.forwarding.bind("tcp", 9090, "python3 (pid 4242)");
        assertThatThrownBy(() -> svc.expose("deployment", "web", tcp(9090, 80)))
                .isInstanceOf(ConflictException.class)
                .hasMessage("host port tcp/9090 is already bound by python3 (pid 4242)");
        assertThat(e.forwarding.current()).isEmpty();
    }

    @Test
    void unknown_owners_members_and_ports_are_refused() {
        assertThatThrownBy(() -> svc.expose("deployment", "nope", tcp(8080, 80)))
                .isInstanceOf(NotFoundException.class).hasMessage("orchestrator: deployment not found: nope");
        assertThatThrownBy(() -> svc.expose("vm", "nope", tcp(8080, 80))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> svc.expose("vm", "web-1", tcp(8080, 80)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("vm web-1 is a replica of deployment web: publish ports of the deployment");
        assertThatThrownBy(() -> svc.unexpose("deployment", "web", "udp", 8080))
                .isInstanceOf(NotFoundException.class).hasMessage("deployment web does not publish host port udp/8080");
    }

    @Test
    void the_config_routes_refuse_a_taken_port_with_the_same_409() {
        svc.expose("deployment", "web", tcp(8080, 80));
        assertThatThrownBy(() -> e.volantd.vms().create(new CreateVmRequest("late", "caddy", null, 0, 0, null, null,
                null, template(rule("tcp", 8080, 80))))).isInstanceOf(ConflictException.class)
                .hasMessage("host port tcp/8080 is already published by deployment web");
        assertThat(e.volantd.vms().find("late")).isEmpty();
        var patch = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        patch.putArray("expose").addObject().put("port", 80).put("host_port", 8080);
        assertThatThrownBy(() -> e.volantd.vms().patchConfig("solo", patch)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> e.volantd.deployments().create("api", 1, template(rule("tcp", 8080, 80))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("host port tcp/8080 is already published by deployment web");
        // The owner itself may keep its port through a rolling update.
        e.volantd.deployments().update("web", null, VmConfig.of("caddy", 1, 256).withExpose(List.of(rule("tcp", 8080,
                80))), null);
        assertThat(e.volantd.deployments().get("web").revision()).isEqualTo(2);
    }

    @Test
    void a_clash_that_gets_stored_anyway_keeps_the_older_publication() {
        svc.expose("deployment", "web", tcp(8080, 80));
        e.volantd.vms().setExposeGuard(io.volant.volantd.vm.ExposeGuard.NONE); // as if written before the check
        e.volantd.vms().create(new CreateVmRequest("late", "caddy", null, 0, 0, null, null, null,
                template(rule("tcp", 8080, 80))));
        PublishPlan plan = e.volantd.publisher().reconcile();
        assertThat(plan.of("vm", "late")).singleElement().satisfies(p -> {
            assertThat(p.state()).isEqualTo("conflict");
            assertThat(p.detail()).isEqualTo("host port tcp/8080 is published by deployment web");
        });
        assertThat(e.forwarding.current()).singleElement().extracting(f -> f.owner()).isEqualTo("deployment web");
    }
}
