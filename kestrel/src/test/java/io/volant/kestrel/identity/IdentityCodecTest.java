package io.volant.kestrel.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class IdentityCodecTest {
    private final IdentityCodec codec = new IdentityCodec();
    static final String SEED = Base64.getEncoder().encodeToString(new byte[64]);

    static String identity(String cmdline, String mac, String hostname, String time, String entropy) {
        return "{\"type\":\"identity\",\"cmdline\":" + cmdline + ",\"mac\":" + mac + ",\"hostname\":" + hostname
                + ",\"time_unix_ms\":" + time + ",\"entropy\":" + entropy + "}";
    }

    static String goodIdentity() {
        return identity("\"console=ttyS0 ip=10.0.2.11::10.0.2.1:255.255.255.0:web-3:eth0:off volant.manifest=x\"",
                "\"52:54:00:AB:cd:03\"", "\"web-3\"", "1765000000123", "\"" + SEED + "\"");
    }

    @Test
    void guest_messages_encode_as_the_protocol_lines() {
        assertThat(codec.encode(new IdentityMessage.Warm())).isEqualTo("{\"type\":\"warm\"}");
        assertThat(codec.encode(new IdentityMessage.Applied())).isEqualTo("{\"type\":\"applied\"}");
        assertThat(codec.encode(new IdentityMessage.Failed("mac: boom\nsecond line")))
                .isEqualTo("{\"type\":\"failed\",\"error\":\"mac: boom second line\"}");
    }

    @Test
    void the_time_exchange_encodes_and_decodes_and_names_a_bad_field() {
        assertThat(codec.encode(new IdentityMessage.TimeRequest(2))).isEqualTo("{\"type\":\"time_request\",\"seq\":2}");
        assertThat(codec.decode("{\"type\":\"time\",\"seq\":2,\"time_unix_ms\":1765000000123}"))
                .isEqualTo(new IdentityMessage.Time(2, 1_765_000_000_123L));
        assertThat(codec.decode(codec.encode(new IdentityMessage.Time(3, 7)))).isEqualTo(new IdentityMessage.Time(3, 7));
        assertThat(codec.decode("{\"type\":\"time_request\",\"seq\":1}")).isEqualTo(new IdentityMessage.TimeRequest(1));
        assertThatThrownBy(() -> codec.decode("{\"type\":\"time\",\"seq\":1}"))
                .hasMessage("time_unix_ms must be an integer of at least 1 (milliseconds since 1970)");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"time\",\"seq\":\"1\",\"time_unix_ms\":5}"))
                .hasMessage("seq must be an integer of at least 0");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"time\",\"seq\":1.5,\"time_unix_ms\":5}"))
                .hasMessage("seq must be an integer of at least 0");
    }

    @Test
    void identity_decodes_with_every_field_and_round_trips() {
        IdentityMessage.Identity id = (IdentityMessage.Identity) codec.decode(goodIdentity());

        assertThat(id.cmdline()).startsWith("console=ttyS0 ip=10.0.2.11");
        assertThat(id.mac()).isEqualTo("52:54:00:ab:cd:03");
        assertThat(id.hostname()).isEqualTo("web-3");
        assertThat(id.timeUnixMs()).isEqualTo(1765000000123L);
        assertThat(id.entropy()).hasSize(64);
        assertThat(id.toString()).doesNotContain("entropy").doesNotContain("manifest");
        IdentityMessage.Identity again = (IdentityMessage.Identity) codec.decode(codec.encode(id));
        assertThat(again.cmdline()).isEqualTo(id.cmdline());
        assertThat(again.entropy()).isEqualTo(id.entropy());
        assertThat(again.timeUnixMs()).isEqualTo(id.timeUnixMs());
    }

    @Test
    void every_bad_field_is_named() {
        String c = "\"ip=x volant.manifest=y\"";
        String mac = "\"52:54:00:00:00:01\"";
        String t = "1";
        String e = "\"" + SEED + "\"";
        assertThatThrownBy(() -> codec.decode(identity("\"\"", mac, "\"h\"", t, e))).hasMessage("cmdline is empty");
        assertThatThrownBy(() -> codec.decode(identity("\"a volant.template=1\"", mac, "\"h\"", t, e)))
                .hasMessageStartingWith("cmdline must not contain volant.template");
        assertThatThrownBy(() -> codec.decode(identity(c, "\"52:54:00:00:01\"", "\"h\"", t, e)))
                .hasMessageStartingWith("mac \"52:54:00:00:01\"");
        assertThatThrownBy(() -> codec.decode(identity(c, "\"01:00:5e:00:00:01\"", "\"h\"", t, e)))
                .hasMessageContaining("multicast");
        assertThatThrownBy(() -> codec.decode(identity(c, mac, "\"web_3\"", t, e)))
                .hasMessageStartingWith("hostname \"web_3\"");
        assertThatThrownBy(() -> codec.decode(identity(c, mac, "\"" + "a".repeat(65) + "\"", t, e)))
                .hasMessageStartingWith("hostname");
        assertThatThrownBy(() -> codec.decode(identity(c, mac, "\"h\"", "-5", e)))
                .hasMessageStartingWith("time_unix_ms");
        assertThatThrownBy(() -> codec.decode(identity(c, mac, "\"h\"", "\"5\"", e)))
                .hasMessageStartingWith("time_unix_ms");
        assertThatThrownBy(() -> codec.decode(identity(c, mac, "\"h\"", t, "\"%%%\"")))
                .hasMessageStartingWith("entropy is not base64");
        assertThatThrownBy(() -> codec.decode(identity(c, mac, "\"h\"", t, "\"AAAA\"")))
                .hasMessage("entropy is 3 bytes, must be 64");
        assertThatThrownBy(() -> codec.decode(identity(c, null, "\"h\"", t, e)))
                .hasMessage("mac is missing or not a string");
    }

    @Test
    void garbage_and_unknown_types_are_rejected_and_the_next_good_line_decodes() {
        assertThatThrownBy(() -> codec.decode("not json")).hasMessageStartingWith("message is not JSON");
        assertThatThrownBy(() -> codec.decode("[1]")).hasMessage("message is not a JSON object");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"hello\"}"))
                .hasMessage("type \"hello\" is not one of warm, identity, time_request, time, applied, failed");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"identity\",\"cmdline\":\"" + "a".repeat(70_000) + "\"}"))
                .hasMessageMatching("message is \\d+ bytes, limit 65536");
        assertThat(codec.decode(goodIdentity())).isInstanceOf(IdentityMessage.Identity.class);
    }
}
