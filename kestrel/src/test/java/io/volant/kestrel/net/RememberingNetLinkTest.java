package io.volant.kestrel.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.Log;
import io.volant.kestrel.testing.InMemoryNetLink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberingNetLinkTest {
    private static final String TOKEN = "10.0.2.13::10.0.2.1:255.255.255.0:web-3:eth0:off";
    @TempDir
    Path root;
    private GuestNetwork.Paths paths;
    private final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "k: ");

    @BeforeEach
    void files() throws Exception {
        paths = new GuestNetwork.Paths(root.resolve("hostname"), root.resolve("resolv.conf"), root.resolve("pnp"));
        Files.writeString(paths.hostname(), "(none)\n");
    }

    @Test
    void a_clone_asks_only_what_its_template_and_its_mac_step_did_not_establish() throws Exception {
        InMemoryNetLink real = new InMemoryNetLink().with("lo", false).with("eth0", false);
        RememberingNetLink link = new RememberingNetLink(real);
        new GuestNetwork(link, paths, log).configureLoopback(); // in the template
        assertThat(link.hasIpv4("eth0")).isFalse();
        real.calls.clear();

        link.setMac("eth0", "52:54:00:12:34:03"); // the clone's identity, then the cold-boot path
        new GuestNetwork(link, paths, log).configure(Optional.of(TOKEN));

        assertThat(real.calls).containsExactly("setMac eth0", "addAddress eth0", "addDefaultRoute eth0");
        assertThat(real.links.get("lo").up).isTrue();
        assertThat(real.links.get("eth0").addresses).containsExactly("10.0.2.13/24");
        assertThat(real.defaultRoute).isEqualTo("10.0.2.1 dev eth0");
    }

    @Test
    void a_cold_boot_ends_in_the_same_state_as_without_it_and_a_second_run_asks_nothing() throws Exception {
        InMemoryNetLink plain = new InMemoryNetLink().with("lo", false).with("eth0", false);
        InMemoryNetLink real = new InMemoryNetLink().with("lo", false).with("eth0", false);
        RememberingNetLink link = new RememberingNetLink(real);

        new GuestNetwork(plain, paths, log).configure(Optional.of(TOKEN));
        new GuestNetwork(link, paths, log).configure(Optional.of(TOKEN));

        assertThat(real.links.get("eth0").addresses).isEqualTo(plain.links.get("eth0").addresses);
        assertThat(real.links.get("eth0").up).isEqualTo(plain.links.get("eth0").up);
        assertThat(real.links.get("lo").up).isEqualTo(plain.links.get("lo").up);
        assertThat(real.defaultRoute).isEqualTo(plain.defaultRoute);
        real.calls.clear();
        new GuestNetwork(link, paths, log).configure(Optional.of(TOKEN));
        assertThat(real.calls).isEmpty();
    }

    @Test
    void a_link_said_to_be_down_is_asked_again_and_no_address_holds_until_kestrel_adds_one() throws Exception {
        InMemoryNetLink real = new InMemoryNetLink().with("eth0", false);
        RememberingNetLink link = new RememberingNetLink(real);

        assertThat(link.isUp("eth0")).isFalse();
        assertThat(link.hasIpv4("eth0")).isFalse();
        real.links.get("eth0").up = true;
        assertThat(link.isUp("eth0")).isTrue();
        assertThat(link.hasIpv4("eth0")).isFalse();
        link.addAddress("eth0", "10.1.1.1", 16);
        assertThat(link.hasIpv4("eth0")).isTrue();

        assertThat(real.calls).containsExactly("isUp eth0", "hasIpv4 eth0", "isUp eth0", "addAddress eth0");
    }

    @Test
    void a_link_without_an_address_is_not_taken_for_an_existing_one() throws Exception {
        InMemoryNetLink real = new InMemoryNetLink().with("eth0", false);
        RememberingNetLink link = new RememberingNetLink(real);

        assertThat(link.hasIpv4("eth0")).isFalse();
        real.links.remove("eth0");

        assertThat(link.exists("eth0")).isFalse();
    }
}
