package io.volant.volantd.hypervisor.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.hypervisor.HypervisorException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host end of the identity channel against a socket standing in for the guest's port. */
class IdentityPortTest {
    @TempDir
    Path dir;

    @Test
    void garbage_and_oversized_lines_are_dropped_and_the_next_good_message_counts() throws Exception {
        Path sock = dir.resolve("vm.ident");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (IdentityPort port = IdentityPort.connect(sock, Duration.ofSeconds(5), () -> false);
                    SocketChannel guest = server.accept()) {
                OutputStream out = Channels.newOutputStream(guest);
                out.write("not json\n".getBytes(StandardCharsets.UTF_8));
                out.write(("{\"type\":\"warm\",\"pad\":\"" + "x".repeat(IdentityPort.MAX_LINE) + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write("{\"type\":\"progress\"}\n{\"type\":\"warm\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Optional<JsonNode> warm = port.await(Set.of("warm"), Duration.ofSeconds(5));
                assertThat(warm).isPresent();
                assertThat(warm.get().has("pad")).isFalse();
                // Nothing more: the wait times out empty.
                assertThat(port.await(Set.of("applied"), Duration.ofMillis(200))).isEmpty();
            }
        }
    }

    @Test
    void the_identity_message_carries_the_host_clock_and_64_fresh_random_bytes() throws Exception {
        Path sock = dir.resolve("vm.ident");
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_764_990_000_123L), ZoneOffset.UTC);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (IdentityPort port = IdentityPort.connect(sock, Duration.ofSeconds(5), () -> false);
                    SocketChannel guest = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(guest),
                        StandardCharsets.UTF_8));
                Identity id = new Identity("console=ttyS0 ip=10.1.0.5::10.1.0.1:255.255.255.0:web-3:eth0:off",
                        "52:54:00:aa:bb:cc", "web-3");
                port.sendIdentity(id, clock, new SecureRandom());
                port.sendIdentity(id, clock, new SecureRandom());
                JsonNode first = new ObjectMapper().readTree(in.readLine());
                JsonNode second = new ObjectMapper().readTree(in.readLine());
                assertThat(first.path("type").asText()).isEqualTo("identity");
                assertThat(first.path("cmdline").asText()).isEqualTo(id.cmdline());
                assertThat(first.path("mac").asText()).isEqualTo("52:54:00:aa:bb:cc");
                assertThat(first.path("hostname").asText()).isEqualTo("web-3");
                assertThat(first.path("time_unix_ms").asLong()).isEqualTo(1_764_990_000_123L);
                assertThat(Base64.getDecoder().decode(first.path("entropy").asText())).hasSize(64);
                assertThat(first.path("entropy").asText()).isNotEqualTo(second.path("entropy").asText());
            }
        }
    }

    @Test
    void time_requests_after_the_identity_are_answered_at_once_with_the_host_clock_until_applied() throws Exception {
        Path sock = dir.resolve("vm.ident");
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_764_990_000_456L), ZoneOffset.UTC);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (IdentityPort port = IdentityPort.connect(sock, Duration.ofSeconds(5), () -> false);
                    SocketChannel guest = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(guest),
                        StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(guest);
                ObjectMapper json = new ObjectMapper();
                // Before the identity nobody asked for the time: a request is dropped, not answered.
                out.write("{\"type\":\"time_request\",\"seq\":9}\n{\"type\":\"mark\"}\n".getBytes(StandardCharsets.UTF_8));
                assertThat(port.await(Set.of("mark"), Duration.ofSeconds(5))).isPresent();
                port.sendIdentity(new Identity("ip=10.1.0.5::10.1.0.1:255.255.255.0:web-3:eth0:off",
                        "52:54:00:aa:bb:cc", "web-3"), clock, new SecureRandom());
                assertThat(json.readTree(in.readLine()).path("type").asText()).isEqualTo("identity");

                for (int seq = 1; seq <= 3; seq++) {
                    out.write(("{\"type\":\"time_request\",\"seq\":" + seq + "}\n").getBytes(StandardCharsets.UTF_8));
                    assertThat(in.readLine()).isEqualTo(
                            "{\"type\":\"time\",\"seq\":" + seq + ",\"time_unix_ms\":1764990000456}");
                }
                out.write(("{\"type\":\"applied\"}\n{\"type\":\"time_request\",\"seq\":4}\n{\"type\":\"mark\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
                assertThat(port.await(Set.of("applied"), Duration.ofSeconds(5))).isPresent();
                assertThat(port.await(Set.of("mark"), Duration.ofSeconds(5))).isPresent();
                // The reader handled the late request before the mark: an answer would be on the socket by now.
                guest.configureBlocking(false);
                assertThat(guest.read(java.nio.ByteBuffer.allocate(64))).isZero();
                assertThat(in.ready()).isFalse();
            }
        }
    }

    @Test
    void a_message_over_64_kib_is_refused_naming_size_and_limit() throws Exception {
        Path sock = dir.resolve("vm.ident");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (IdentityPort port = IdentityPort.connect(sock, Duration.ofSeconds(5), () -> false);
                    SocketChannel ignored = server.accept()) {
                assertThatThrownBy(() -> port.send(Map.of("type", "x", "pad", "y".repeat(70_000))))
                        .isInstanceOf(HypervisorException.class).hasMessageContaining("limit 65536");
            }
        }
    }

    @Test
    void connecting_to_a_vm_that_is_gone_fails_at_once() {
        assertThatThrownBy(() -> IdentityPort.connect(dir.resolve("none.ident"), Duration.ofSeconds(30), () -> true))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("process exited");
    }
}
