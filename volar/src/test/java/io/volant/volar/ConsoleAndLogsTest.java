package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volar.fake.TinyWebSocketServer;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code vms console} and {@code vms logs} over WebSockets (api-and-cli.md §5.5, AC-C13). */
class ConsoleAndLogsTest {

    /** A console that greets, echoes what it receives and remembers the connection. */
    private static final class EchoConsole implements TinyWebSocketServer.Handler {
        final AtomicReference<TinyWebSocketServer.Conn> conn = new AtomicReference<>();
        volatile String apiKey;

        @Override
        public String[] refuse(String path, Map<String, String> headers) {
            apiKey = headers.get("x-volant-api-key");
            if (path.contains("/ghost/")) {
                return new String[] {"404", "vm not found"};
            }
            if (path.contains("/busy/")) {
                return new String[] {"409", "console already attached"};
            }
            return null;
        }

        @Override
        public void accepted(String path, TinyWebSocketServer.Conn c) throws IOException {
            conn.set(c);
            c.sendBinary("web login: ".getBytes(StandardCharsets.UTF_8));
            try {
                while (true) {
                    byte[] in = c.received().poll(100, TimeUnit.MILLISECONDS);
                    if (in != null) {
                        c.sendBinary(("echo:" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    }
                    if (c.closedByClient()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void ac_c13_console_relays_keystrokes_and_ctrl_bracket_detaches_with_exit_0() throws Exception {
        EchoConsole console = new EchoConsole();
        try (TinyWebSocketServer ws = new TinyWebSocketServer(console);
                PipedOutputStream keys = new PipedOutputStream()) {
            PipedInputStream stdin = new PipedInputStream(keys);
            Cli cli = new Cli().api(ws.base()).env("VOLANT_API_KEY", "k").stdin(stdin);
            Cli.Live run = cli.start("vms", "console", "web");

            await().atMost(Duration.ofSeconds(20)).until(() -> run.out().toString().equals("web login: "));
            keys.write("ls\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> run.out().toString().equals("web login: echo:ls\n"));
            keys.write(new byte[] {0x1d});
            keys.flush();

            Cli.Result r = run.result(Duration.ofSeconds(20));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("web login: echo:ls\n");
            assertThat(r.err()).startsWith("Connected to web console (escape: Ctrl-])\n");
            assertThat(console.apiKey).isEqualTo("k");
            await().atMost(Duration.ofSeconds(20)).until(() -> console.conn.get().closedByClient());
        }
    }

    @Test
    void a_console_the_server_closes_ends_with_exit_0() throws Exception {
        TinyWebSocketServer.Handler closing = new TinyWebSocketServer.Handler() {
            @Override
            public String[] refuse(String path, Map<String, String> headers) {
                return null;
            }

            @Override
            public void accepted(String path, TinyWebSocketServer.Conn c) throws IOException {
                c.sendBinary("bye\r\n".getBytes(StandardCharsets.UTF_8));
                c.close(1000, "");
            }
        };
        try (TinyWebSocketServer ws = new TinyWebSocketServer(closing);
                PipedOutputStream keys = new PipedOutputStream()) {
            Cli.Result r = new Cli().api(ws.base()).stdin(new PipedInputStream(keys)).run("vms", "console", "web");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("bye\r\n");
        }
    }

    @Test
    void a_refused_console_handshake_is_the_servers_message_and_exit_1() throws Exception {
        try (TinyWebSocketServer ws = new TinyWebSocketServer(new EchoConsole())) {
            Cli.Result ghost = new Cli().api(ws.base()).run("vms", "console", "ghost");
            assertThat(ghost.exit()).isEqualTo(1);
            assertThat(ghost.err()).isEqualTo("Error: vm not found (HTTP 404)\n");
            Cli.Result busy = new Cli().api(ws.base()).run("vms", "console", "busy");
            assertThat(busy.err()).isEqualTo("Error: console already attached (HTTP 409)\n");
        }
    }

    @Test
    void logs_print_one_line_per_frame_until_the_stream_closes() throws Exception {
        TinyWebSocketServer.Handler logs = new TinyWebSocketServer.Handler() {
            @Override
            public String[] refuse(String path, Map<String, String> headers) {
                return path.endsWith("/web/logs") ? null : new String[] {"404", "vm not found"};
            }

            @Override
            public void accepted(String path, TinyWebSocketServer.Conn c) throws IOException {
                c.sendText("{\"name\":\"web\",\"stream\":\"stdout\",\"line\":\"started\","
                        + "\"timestamp\":\"2026-01-01T00:00:00Z\"}");
                c.sendText("{\"name\":\"web\",\"stream\":\"stderr\",\"line\":\"warn: x\","
                        + "\"timestamp\":\"2026-01-01T00:00:01Z\"}");
                c.close(1000, "stream closed");
            }
        };
        try (TinyWebSocketServer ws = new TinyWebSocketServer(logs)) {
            Cli.Result r = new Cli().api(ws.base()).run("vms", "logs", "web");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.outLines()).containsExactly("2026-01-01T00:00:00Z [stdout] started",
                    "2026-01-01T00:00:01Z [stderr] warn: x");

            Cli.Result raw = new Cli().api(ws.base()).run("vms", "logs", "web", "--json");
            assertThat(raw.outLines().getFirst()).startsWith("{\"name\":\"web\"");

            assertThat(new Cli().api(ws.base()).run("vms", "logs", "ghost").err())
                    .isEqualTo("Error: vm not found (HTTP 404)\n");
        }
    }

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
