package io.volant.volantd.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.UpstreamException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** control-plane.md §9 apply/remove and the Chosen ownership rule, against the in-memory driftd. */
class DriftExposureTest {
    private final InMemoryDriftClient driftd = new InMemoryDriftClient();
    private final DriftExposure exposure = new DriftExposure(driftd);

    private static DriftRoute route(int hostPort) {
        return new DriftRoute(hostPort, "tcp", DriftRoute.Backend.bridge("10.0.0.5", 80));
    }

    @Test
    void applied_routes_are_upserted_in_order_and_release_deletes_exactly_them() {
        exposure.apply(exposure.reserve("web", null, List.of(route(8080), route(8443))));
        assertThat(driftd.routes()).containsOnlyKeys("tcp/8080", "tcp/8443");

        assertThat(exposure.release("web")).containsExactly("tcp/8080", "tcp/8443");

        assertThat(driftd.routes()).isEmpty();
        assertThat(exposure.owned("web")).isEmpty();
    }

    @Test
    void a_failed_upsert_deletes_the_routes_applied_before_it_in_reverse_and_frees_the_keys() {
        driftd.failUpserts("tcp/9000", 503);
        DriftExposure.Claim claim = exposure.reserve("web", null, List.of(route(8080), route(8443), route(9000)));

        assertThatThrownBy(() -> exposure.apply(claim)).isInstanceOf(UpstreamException.class)
                .hasMessage("apply drift route tcp/9000: injected failure for tcp/9000");

        assertThat(driftd.routes()).isEmpty();
        assertThat(driftd.calls()).containsExactly("POST tcp/8080", "POST tcp/8443", "POST tcp/9000",
                "DELETE tcp/8443", "DELETE tcp/8080");
        assertThat(exposure.owned("web")).isEmpty();
        exposure.reserve("other", null, List.of(route(8080))); // free again
    }

    @Test
    void a_vm_outside_the_owners_deployment_gets_409_naming_the_owner() {
        exposure.apply(exposure.reserve("web", null, List.of(route(8080))));

        assertThatThrownBy(() -> exposure.reserve("api", null, List.of(route(9000), route(8080))))
                .isInstanceOf(ConflictException.class).hasMessage("expose host_port tcp/8080 already used by vm web");
        assertThat(exposure.owned("api")).isEmpty();
    }

    @Test
    void members_of_one_deployment_share_the_first_members_routes() {
        exposure.apply(exposure.reserve("demo-1", "demo", List.of(route(8080))));

        DriftExposure.Claim second = exposure.reserve("demo-2", "demo", List.of(route(8080)));

        assertThat(second.routes()).isEmpty();
        assertThat(exposure.owned("demo-1")).containsExactly("tcp/8080");
        assertThatThrownBy(() -> exposure.reserve("other-1", "other", List.of(route(8080))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void removal_treats_an_unknown_route_as_success_and_logs_other_failures() {
        exposure.apply(exposure.reserve("web", null, List.of(route(8080), route(8443))));
        driftd.deleteRoute("tcp", 8080); // gone behind our back: 404 on removal

        assertThat(exposure.release("web")).containsExactly("tcp/8080", "tcp/8443");
        assertThat(driftd.routes()).isEmpty();

        exposure.apply(exposure.reserve("web", null, List.of(route(8080))));
        driftd.unreachable(true);
        assertThat(exposure.release("web")).containsExactly("tcp/8080");
        assertThat(exposure.owned("web")).isEmpty();
    }
}
