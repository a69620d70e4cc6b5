package io.volant.volantd.drift;

import io.volant.volantd.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Pure route computation from expose rules (control-plane.md §9, AC-D1..D3). */
public final class DriftRoutes {
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

    private DriftRoutes() {}

    /**
     * The routes for {@code rules} on {@code vm}, in rule order, first rule winning per {@code <protocol>/<host_port>}.
     *
     * @throws InvalidArgumentException with the spec's message for the first rule that cannot be routed
     */
    public static List<DriftRoute> compute(RouteTarget vm, List<ExposeRule> rules) {
        String defaultMode = vm.networkMode().isBlank() ? "bridged" : vm.networkMode().trim().toLowerCase(Locale.ROOT);
        List<DriftRoute> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ExposeRule rule : rules) {
            if (rule.hostPort() <= 0) {
                continue;
            }
            String protocol = rule.protocol().trim().toLowerCase(Locale.ROOT);
            if (protocol.isEmpty()) {
                protocol = "tcp";
            } else if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new InvalidArgumentException("unsupported expose protocol \"" + rule.protocol() + "\"");
            }
            String mode = rule.mode().trim().toLowerCase(Locale.ROOT);
            if (mode.isEmpty()) {
                mode = defaultMode;
            }
            DriftRoute.Backend backend = switch (mode) {
                case "bridged", "bridge" -> DriftRoute.Backend.bridge(ipv4(vm, "vm " + vm.name()
                        + " has no assigned ip for bridged exposure"), rule.port());
                case "dhcp" -> DriftRoute.Backend.bridge(ipv4(vm, "vm " + vm.name() + " ip unknown for dhcp exposure"),
                        rule.port());
                case "vsock" -> {
                    if (!protocol.equals("tcp")) {
                        throw new InvalidArgumentException("vsock exposures require tcp protocol");
                    }
                    if (vm.cid() == 0) {
                        throw new InvalidArgumentException("vm " + vm.name() + " has no vsock cid assigned");
                    }
                    yield DriftRoute.Backend.vsock(vm.cid(), rule.port());
                }
                default -> throw new InvalidArgumentException("unsupported expose mode \"" + rule.mode() + "\"");
            };
            if (seen.add(DriftRoute.key(protocol, rule.hostPort()))) {
                out.add(new DriftRoute(rule.hostPort(), protocol, backend));
            }
        }
        return List.copyOf(out);
    }

    private static String ipv4(RouteTarget vm, String missing) {
        String ip = vm.ip().trim();
        if (ip.isEmpty()) {
            throw new InvalidArgumentException(missing);
        }
        if (!IPV4.matcher(ip).matches()) {
            throw new InvalidArgumentException("vm " + vm.name() + " ip " + ip + " not a valid ipv4 address");
        }
        return ip;
    }
}
