package io.volant.volantd.vm;

import io.volant.volantd.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Name rules (control-plane.md §2.10 item 1, §3.1, §3.8 item 1). */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    private static final Pattern INDEX = Pattern.compile("^[1-9][0-9]*$");
    public static final int MAX_DEPLOYMENT_NAME = 52;

    private Names() {}

    /** 400 {@code orchestrator: vm name required} / {@code orchestrator: invalid vm name "<n>" (...)}. */
    public static void checkVmName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("orchestrator: vm name required");
        }
        if (!LABEL.matcher(name).matches()) {
            throw new InvalidArgumentException("orchestrator: invalid vm name \"" + name + "\" (must be a lowercase DNS label)");
        }
    }

    /** 400 {@code orchestrator: deployment name required} / {@code orchestrator: invalid deployment name "<n>"}. */
    public static void checkDeploymentName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("orchestrator: deployment name required");
        }
        if (name.length() > MAX_DEPLOYMENT_NAME || !LABEL.matcher(name).matches()) {
            throw new InvalidArgumentException("orchestrator: invalid deployment name \"" + name + "\"");
        }
    }

    /** The replica index of {@code vm} in {@code deployment} ({@code <d>-<n>}, n = {@code [1-9][0-9]*}), else 0. */
    public static int replicaIndex(String deployment, String vm) {
        String prefix = deployment + "-";
        if (!vm.startsWith(prefix)) {
            return 0;
        }
        String rest = vm.substring(prefix.length());
        if (!INDEX.matcher(rest).matches() || rest.length() > 9) {
            return 0;
        }
        return Integer.parseInt(rest);
    }

    public static String replicaName(String deployment, int index) {
        return deployment + "-" + index;
    }

    /** Deployment names that would own {@code vm} as a replica ({@code web-1-2} → {@code web-1}; {@code web} no). */
    public static List<String> possibleOwners(String vm) {
        List<String> out = new ArrayList<>();
        for (int i = vm.lastIndexOf('-'); i > 0; i = vm.lastIndexOf('-', i - 1)) {
            String d = vm.substring(0, i);
            if (replicaIndex(d, vm) > 0) {
                out.add(d);
            }
        }
        return out;
    }
}
