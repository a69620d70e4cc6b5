package io.volant.kestrel.net;

import static io.volant.kestrel.testing.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.kestrel.Log;
import io.volant.kestrel.sys.Libc;
import io.volant.testing.HostRequirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IoctlNetLink} against the real kernel, inside a network namespace this test creates (a veth pair standing in
 * for the guest's {@code eth0}) and deletes: the calls run on a thread that entered the namespace with
 * {@code setns(2)} (a socket lives in the namespace of the thread that opens it). Needs root and iproute2.
 */
class IoctlNetLinkNetnsTest {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Path IP = Path.of("/usr/sbin/ip");
    private static final MethodHandle SETNS = Libc.fn("setns", FunctionDescriptor.of(Libc.INT, Libc.INT, Libc.INT));

    @TempDir
    Path tmp;

    @FunctionalInterface
    private interface InNetns {
        void run() throws Exception;
    }

    /**
     * A new network namespace {@code <prefix>-<pid>} holding a veth pair, {@code eth0} (the guest's link) and
     * {@code peer0}; the caller deletes it.
     */
    private static String guestNetns(String prefix) throws Exception {
        HostRequirements.require(Files.isExecutable(IP) && HostRequirements.root(), "needs root and iproute2");
        String ns = prefix + "-" + ProcessHandle.current().pid();
        run(List.of(IP.toString(), "netns", "add", ns));
        try {
            run(List.of(IP.toString(), "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0"));
        } catch (Exception e) {
            run(List.of(IP.toString(), "netns", "del", ns));
            throw e;
        }
        return ns;
    }

    /** Runs {@code body} on a new platform thread inside netns {@code ns}. */
    private static void inNetns(String ns, InNetns body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                int fd = Libc.open("/run/netns/" + ns, Libc.O_CLOEXEC);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment state = Libc.callState(arena);
                    Libc.check((int) SETNS.invokeExact(state, fd, CLONE_NEWNET), state, "setns");
                } finally {
                    Libc.close(fd);
                }
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @Test
    void configures_loopback_address_route_and_mac_like_the_ip_program_and_a_second_run_changes_nothing()
            throws Exception {
        Path ip = IP;
        String ns = guestNetns("kioctl");
        try {
            run(List.of(ip.toString(), "-n", ns, "link", "set", "peer0", "up"));
            Files.writeString(tmp.resolve("hostname"), "(none)");
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            IoctlNetLink link = new IoctlNetLink(Optional.empty());
            GuestNetwork net = new GuestNetwork(link,
                    new GuestNetwork.Paths(tmp.resolve("hostname"), tmp.resolve("resolv.conf"), tmp.resolve("pnp")),
                    new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "kestrel: "));
            String token = "10.200.0.2::10.200.0.1:255.255.255.0:ktest:eth0:off";

            inNetns(ns, () -> {
                assertThat(link.exists("eth0")).isTrue();
                assertThat(link.exists("nope0")).isFalse();
                assertThat(link.hasIpv4("eth0")).isFalse();
                net.configure(Optional.of(token));
            });
            int linesAfterFirst = logs.toString(StandardCharsets.UTF_8).split("\n").length;
            inNetns(ns, () -> {
                assertThat(link.isUp("lo")).isTrue();
                assertThat(link.hasIpv4("eth0")).isTrue();
                net.configure(Optional.of(token));
            });

            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "link", "show", "dev", "lo"))).contains(",UP");
            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "-4", "addr", "show", "dev", "eth0")))
                    .contains("inet 10.200.0.2/24");
            assertThat(run(List.of(ip.toString(), "-n", ns, "route")))
                    .contains("default via 10.200.0.1 dev eth0").contains("10.200.0.0/24 dev eth0");
            assertThat(logs.toString(StandardCharsets.UTF_8).split("\n")).hasSize(linesAfterFirst);

            inNetns(ns, () -> link.setMac("eth0", "52:54:00:aa:bb:cc")); // up: a live change
            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "link", "show", "dev", "eth0")))
                    .contains("link/ether 52:54:00:aa:bb:cc").contains(",UP");
            run(List.of(ip.toString(), "-n", ns, "link", "set", "eth0", "down"));
            inNetns(ns, () -> link.setMac("eth0", "52:54:00:aa:bb:cd")); // down, as a template's eth0 is
            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "link", "show", "dev", "eth0")))
                    .contains("link/ether 52:54:00:aa:bb:cd").contains(",UP");

            inNetns(ns, () -> link.addDefaultRoute("10.200.0.3", "eth0")); // replaces the default route
            assertThat(run(List.of(ip.toString(), "-n", ns, "route")))
                    .contains("default via 10.200.0.3 dev eth0").doesNotContain("default via 10.200.0.1");
            inNetns(ns, () -> assertThatThrownBy(() -> link.setUp("nope0"))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("ioctl(SIOCGIFFLAGS, nope0) failed: "));
        } finally {
            run(List.of(ip.toString(), "netns", "del", ns));
        }
    }

    @Test
    void the_rehearsal_changes_no_link_address_or_route() throws Exception {
        Path ip = IP;
        String ns = guestNetns("kioctlr");
        try {
            run(List.of(ip.toString(), "-n", ns, "link", "set", "lo", "up"));
            String before = state(ip, ns);
            assertThat(before).contains("inet 127.0.0.1/8").contains("eth0");

            inNetns(ns, IoctlNetLink::rehearse);
            inNetns(ns, IoctlNetLink::rehearse); // twice: still nothing

            assertThat(state(ip, ns)).isEqualTo(before);
        } finally {
            run(List.of(ip.toString(), "netns", "del", ns));
        }
    }

    /** Links (flags, MACs), addresses and every routing table of {@code ns}, as iproute2 prints them. */
    private static String state(Path ip, String ns) throws Exception {
        return run(List.of(ip.toString(), "-n", ns, "-o", "link")) + run(List.of(ip.toString(), "-n", ns, "-o", "addr"))
                + run(List.of(ip.toString(), "-n", ns, "route", "show", "table", "all"));
    }
}
