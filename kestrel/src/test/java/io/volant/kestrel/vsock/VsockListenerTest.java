package io.volant.kestrel.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The AF_VSOCK listener against the real kernel. Where the kernel has vsock (this host does: socket, bind, listen,
 * but no loopback transport to connect through) it must listen and wake on close; elsewhere it must fail cleanly.
 */
class VsockListenerTest {
    @Test
    void listens_on_a_kernel_chosen_port_or_fails_with_a_clear_error() throws Exception {
        VsockListener l;
        try {
            l = VsockListener.open(VsockListener.VMADDR_PORT_ANY);
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("AF_VSOCK").hasMessageContaining("errno");
            return;
        }
        CompletableFuture<Throwable> acceptor = new CompletableFuture<>();
        try (l) {
            assertThat(l.port()).isNotIn(0, -1);
            assertThat(l.describe()).isEqualTo("vsock:" + Integer.toUnsignedString(l.port()));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    l.accept().close();
                    acceptor.complete(null);
                } catch (Throwable t) {
                    acceptor.complete(t);
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(acceptor::isDone);
        assertThat(acceptor.get()).isInstanceOf(IOException.class);
    }

    @Test
    void a_port_already_in_use_is_reported_with_the_port() throws Exception {
        VsockListener first;
        try {
            first = VsockListener.open(VsockListener.VMADDR_PORT_ANY);
        } catch (IOException e) {
            return; // no vsock in this kernel: covered by the test above
        }
        try (first) {
            assertThatThrownBy(() -> VsockListener.open(first.port()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("bind(vsock port " + Integer.toUnsignedString(first.port()) + ")");
        }
    }

    @Test
    void prepare_leaves_no_descriptor_open_with_or_without_vsock_support() throws Exception {
        VsockListener.prepare(); // the first call links; count after it
        long before = openDescriptors();
        for (int i = 0; i < 20; i++) {
            VsockListener.prepare();
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void sockaddr_vm_has_the_kernel_layout() {
        try (Arena arena = Arena.ofConfined()) {
            var a = VsockListener.sockaddrVm(arena, 8080);
            assertThat(a.byteSize()).isEqualTo(16);
            assertThat(a.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) 40);
            assertThat(a.get(ValueLayout.JAVA_INT, 4)).isEqualTo(8080);
            assertThat(a.get(ValueLayout.JAVA_INT, 8)).isEqualTo(-1);
            assertThat(a.get(ValueLayout.JAVA_BYTE, 12)).isZero();
        }
    }
}
