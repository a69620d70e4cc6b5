package io.volant.volantd.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AC-C1 at the hub level, with a fake serial socket standing in for the hypervisor. */
class ConsoleHubTest {
    @TempDir
    Path dir;

    @Test
    void late_client_gets_buffered_output_second_client_gets_409_and_output_is_logged() throws Exception {
        Path sock = dir.resolve("web.serial");
        Path log = dir.resolve("logs/web.console.log");
        try (ServerSocketChannel serial = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                ConsoleHub hub = new ConsoleHub(Duration.ofSeconds(10))) {
            serial.bind(UnixDomainSocketAddress.of(sock));
            hub.open("web", sock, log);
            try (SocketChannel guest = serial.accept()) {
                guest.write(ByteBuffer.wrap("Linux version 6.1\nlogin: ".getBytes(StandardCharsets.UTF_8)));
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log)
                        && Files.readString(log).contains("login: "));

                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                ConsoleSession session = hub.attach("web", b -> {
                    synchronized (seen) {
                        seen.writeBytes(b);
                    }
                });
                assertThat(text(seen)).isEqualTo("Linux version 6.1\nlogin: ");
                assertThatThrownBy(() -> hub.attach("web", b -> { })).isInstanceOf(ConflictException.class)
                        .hasMessage("console already attached");

                session.write("root\n".getBytes(StandardCharsets.UTF_8));
                ByteBuffer in = ByteBuffer.allocate(16);
                while (in.position() < 5) {
                    guest.read(in);
                }
                assertThat(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8)).isEqualTo("root\n");

                guest.write(ByteBuffer.wrap("# ".getBytes(StandardCharsets.UTF_8)));
                await().atMost(Duration.ofSeconds(10)).until(() -> text(seen).endsWith("login: # "));

                session.close();
                guest.write(ByteBuffer.wrap("while detached\n".getBytes(StandardCharsets.UTF_8)));
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("while detached"));
                java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
                ConsoleSession again = hub.attach("web", b -> { }, () -> ended.set(true));
                assertThat(again).isNotNull();
                guest.close(); // the hypervisor went away
                await().atMost(Duration.ofSeconds(10)).untilTrue(ended);
                assertThatThrownBy(() -> hub.attach("web", b -> { })).isInstanceOf(UnavailableException.class);
            }
        }
    }

    @Test
    void a_vm_without_a_captured_console_is_unavailable() {
        try (ConsoleHub hub = new ConsoleHub()) {
            assertThatThrownBy(() -> hub.attach("nope", b -> { })).isInstanceOf(UnavailableException.class)
                    .hasMessage("serial socket unavailable");
        }
    }

    @Test
    void the_ring_keeps_only_the_newest_64_kib() {
        ConsoleHub.Ring ring = new ConsoleHub.Ring(8);
        ring.append("abcdef".getBytes(StandardCharsets.UTF_8));
        ring.append("ghij".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(ring.snapshot(), StandardCharsets.UTF_8)).isEqualTo("cdefghij");
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
