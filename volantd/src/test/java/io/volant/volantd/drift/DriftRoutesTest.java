package io.volant.volantd.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.errors.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** control-plane.md §9 route computation: AC-D1..D3 (host-runtime.md AC-U6) and every error message. */
class DriftRoutesTest {

    private static ExposeRule rule(int hostPort, int port, String protocol, String mode) {
        return new ExposeRule(protocol, port, hostPort, mode);
    }

    @Test
    void ac_d1_a_rule_without_protocol_on_a_vm_without_network_config_is_one_bridged_tcp_route() {
        List<DriftRoute> routes = DriftRoutes.compute(new RouteTarget("vm-1", "10.0.0.5", 0, ""),
                List.of(rule(8080, 80, "", "")));
        assertThat(routes).containsExactly(new DriftRoute(8080, "tcp", DriftRoute.Backend.bridge("10.0.0.5", 80)));
    }

    @Test
    void ac_d2_a_vsock_rule_with_udp_is_an_error() {
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("vm-2", "", 33, ""),
                List.of(rule(9000, 9000, "udp", "vsock"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("vsock exposures require tcp protocol");
    }

    @Test
    void ac_d3_rules_differing_only_in_protocol_case_give_one_route() {
        List<DriftRoute> routes = DriftRoutes.compute(new RouteTarget("vm-3", "10.0.0.10", 0, "bridged"),
                List.of(rule(8080, 80, "tcp", ""), rule(8080, 80, "TCP", "")));
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).key()).isEqualTo("tcp/8080");
    }

    @Test
    void the_first_rule_wins_for_a_duplicate_key_and_other_protocols_stay_distinct() {
        List<DriftRoute> routes = DriftRoutes.compute(new RouteTarget("vm", "10.0.0.5", 0, ""),
                List.of(rule(8080, 80, "tcp", ""), rule(8080, 81, "tcp", ""), rule(8080, 82, "udp", "")));
        assertThat(routes).extracting(r -> r.key() + "->" + r.backend().port()).containsExactly("tcp/8080->80", "udp/8080->82");
    }

    @Test
    void host_ports_of_zero_or_below_are_skipped() {
        assertThat(DriftRoutes.compute(new RouteTarget("vm", "10.0.0.5", 0, ""),
                List.of(rule(0, 80, "", ""), rule(-1, 80, "", "")))).isEmpty();
    }

    @Test
    void a_vsock_rule_routes_to_the_cid() {
        assertThat(DriftRoutes.compute(new RouteTarget("vm", "", 7, "vsock"), List.of(rule(2222, 22, "", ""))))
                .containsExactly(new DriftRoute(2222, "tcp", DriftRoute.Backend.vsock(7, 22)));
    }

    @Test
    void the_rule_mode_overrides_the_network_mode_and_bridge_is_an_alias() {
        assertThat(DriftRoutes.compute(new RouteTarget("vm", "10.0.0.5", 9, "vsock"), List.of(rule(80, 8080, "", "Bridge"))))
                .containsExactly(new DriftRoute(80, "tcp", DriftRoute.Backend.bridge("10.0.0.5", 8080)));
    }

    @Test
    void every_error_names_the_vm_or_the_value() {
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("web", "10.0.0.5", 0, ""), List.of(rule(80, 80, "sctp", ""))))
                .hasMessage("unsupported expose protocol \"sctp\"");
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("web", "", 0, "bridged"), List.of(rule(80, 80, "", ""))))
                .hasMessage("vm web has no assigned ip for bridged exposure");
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("web", "fe80::1", 0, ""), List.of(rule(80, 80, "", ""))))
                .hasMessage("vm web ip fe80::1 not a valid ipv4 address");
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("web", "", 0, "dhcp"), List.of(rule(80, 80, "", ""))))
                .hasMessage("vm web ip unknown for dhcp exposure");
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("web", "", 0, "vsock"), List.of(rule(80, 80, "tcp", ""))))
                .hasMessage("vm web has no vsock cid assigned");
        assertThatThrownBy(() -> DriftRoutes.compute(new RouteTarget("web", "10.0.0.5", 0, ""), List.of(rule(80, 80, "", "nat"))))
                .hasMessage("unsupported expose mode \"nat\"");
    }

    @Test
    void route_json_omits_empty_ip_and_zero_cid() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThat(m.writeValueAsString(new DriftRoute(8080, "tcp", DriftRoute.Backend.bridge("10.0.0.5", 80))))
                .isEqualTo("{\"host_port\":8080,\"protocol\":\"tcp\",\"backend\":{\"type\":\"bridge\",\"ip\":\"10.0.0.5\",\"port\":80}}");
        assertThat(m.writeValueAsString(new DriftRoute(2222, "tcp", DriftRoute.Backend.vsock(7, 22))))
                .isEqualTo("{\"host_port\":2222,\"protocol\":\"tcp\",\"backend\":{\"type\":\"vsock\",\"port\":22,\"cid\":7}}");
    }
}
