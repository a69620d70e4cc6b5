package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code vms console --socket}: the local serial-socket mode (api-and-cli.md §5.5) against a Unix socket the test
 * serves. The WebSocket mode is tested against the real volantd in {@link RealConsoleAndAgentTest}.
 */
class SerialSocketConsoleTest {

    @Test
    void the_socket_mode_talks_to_a_local_serial_socket_with_the_same_escape() throws Exception {
        java.nio.file.Path sock = java.nio.file.Files.createTempDirectory("volar-serial").resolve("web.serial");
        try (java.nio.channels.ServerSocketChannel server =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                PipedOutputStream keys = new PipedOutputStream()) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            Thread.ofPlatform().daemon().start(() -> {
                try (java.nio.channels.SocketChannel c = server.accept()) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(256);
                    c.write(java.nio.ByteBuffer.wrap("login: ".getBytes(StandardCharsets.UTF_8)));
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        c.write(java.nio.ByteBuffer.wrap(("<" + StandardCharsets.UTF_8.decode(buf) + ">")
                                .getBytes(StandardCharsets.UTF_8)));
                        buf.clear();
                    }
                } catch (IOException ignored) {
                    // client detached
                }
            });
            Cli.Live run = new Cli().stdin(new PipedInputStream(keys)).start("vms", "console", "web", "--socket",
                    sock.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> run.out().toString().equals("login: "));
            keys.write("root\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> run.out().toString().equals("login: <root\r>"));
            keys.write(0x1d);
            keys.flush();

            Cli.Result r = run.result(Duration.ofSeconds(20));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).startsWith("Connecting to serial socket: " + sock + "\n");
        } finally {
            java.nio.file.Files.deleteIfExists(sock);
            java.nio.file.Files.deleteIfExists(sock.getParent());
        }
    }
}
