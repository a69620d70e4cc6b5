package io.volant.volantd.testing;

import java.util.UUID;

/**
 * A network namespace created by a test and deleted in {@code close()}, with a bridge and host address inside.
 * The root namespace is never touched.
 */
public final class NetnsFixture implements AutoCloseable {
    public final String name;
    public final String bridge;

    /** @param bridge created with {@code hostCidr} inside the namespace, or null for none */
    public NetnsFixture(String bridge, String hostCidr) {
        this.name = "vhost-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.bridge = bridge;
        Cmd.run("ip", "netns", "add", name);
        try {
            exec("ip", "link", "set", "lo", "up");
            if (bridge == null) {
                return;
            }
            exec("ip", "link", "add", bridge, "type", "bridge");
            exec("ip", "addr", "add", hostCidr, "dev", bridge);
            exec("ip", "link", "set", bridge, "up");
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    public String exec(String... argv) {
        return Cmd.run(inside(argv));
    }

    public Cmd.Result tryExec(String... argv) {
        return Cmd.exec(inside(argv));
    }

    /** {@code ip netns exec <name> argv...} */
    private String[] inside(String... argv) {
        String[] full = new String[argv.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(argv, 0, full, 4, argv.length);
        return full;
    }

    @Override
    public void close() {
        Cmd.exec("ip", "netns", "del", name);
    }
}
