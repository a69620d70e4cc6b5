package io.volant.kestrel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.kestrel.testing.InMemoryNetLink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoctlNetLinkTest {
    @Test
    void addresses_and_macs_are_parsed_strictly() throws Exception {
        assertThat(IoctlNetLink.ipv4("10.0.2.15")).containsExactly(10, 0, 2, 15);
        assertThat(IoctlNetLink.macBytes("52:54:00:aB:cd:EF")).containsExactly(0x52, 0x54, 0, 0xab, 0xcd, 0xef);
        for (String bad : new String[] {"10.0.2", "10.0.2.256", "10.0.2.-1", "a.b.c.d", "10.0.2.15.1", "0010.0.0.1"}) {
            assertThatThrownBy(() -> IoctlNetLink.ipv4(bad)).isInstanceOf(IOException.class)
                    .hasMessage("\"" + bad + "\" is not an IPv4 address");
        }
        for (String bad : new String[] {"52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "5:54:00:ab:cd:ef", "zz:54:00:ab:cd:ef"}) {
            assertThatThrownBy(() -> IoctlNetLink.macBytes(bad)).isInstanceOf(IOException.class)
                    .hasMessage("\"" + bad + "\" is not a MAC address");
        }
    }

    @Test
    void link_names_longer_than_the_kernel_takes_are_refused_before_any_call() {
        assertThatThrownBy(() -> new IoctlNetLink(Optional.empty()).exists("a-very-long-name0"))
                .isInstanceOf(IOException.class).hasMessage("link name \"a-very-long-name0\" is not 1-15 characters");
    }

    @Test
    void dhcp_goes_to_the_client_program_when_there_is_one(@TempDir Path dir) throws Exception {
        InMemoryNetLink client = new InMemoryNetLink().with("eth0", false);
        client.dhcpAvailable = true;
        assertThat(new IoctlNetLink(Optional.of(client)).dhcpAvailable()).isTrue();
        new IoctlNetLink(Optional.of(client)).dhcp("eth0", "web-1", dir.resolve("resolv.conf"));
        assertThat(client.calls).containsExactly("dhcp eth0");

        assertThat(new IoctlNetLink(Optional.empty()).dhcpAvailable()).isFalse();
        assertThatThrownBy(() -> new IoctlNetLink(Optional.empty()).dhcp("eth0", "web-1", Path.of("/x")))
                .isInstanceOf(IOException.class).hasMessage("no DHCP client (udhcpc) in the image");
    }
}
