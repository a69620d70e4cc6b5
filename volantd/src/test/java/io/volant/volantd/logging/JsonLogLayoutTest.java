package io.volant.volantd.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLogLayoutTest {

    @Test
    void one_json_object_per_line_with_key_values_as_members() throws Exception {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("io.volant.volantd.api.http"), Level.WARN,
                "http \"request\"\nsecond line", null, null);
        e.addKeyValuePair(new KeyValuePair("status", 401));
        e.addKeyValuePair(new KeyValuePair("path", "/a\\b"));
        String line = new JsonLogLayout().doLayout(e);
        assertThat(line).endsWith("}\n").doesNotContain("\nsecond");
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.path("level").asText()).isEqualTo("WARN");
        assertThat(n.path("msg").asText()).isEqualTo("http \"request\"\nsecond line");
        assertThat(n.path("subsystem").asText()).isEqualTo("volantd");
        assertThat(n.path("status").isInt()).isTrue();
        assertThat(n.path("path").asText()).isEqualTo("/a\\b");
    }

    @Test
    void timestamps_are_rfc3339_utc_with_trimmed_fractions() {
        assertThat(Rfc3339.format(Instant.parse("2025-10-07T03:44:18Z"))).isEqualTo("2025-10-07T03:44:18Z");
        assertThat(Rfc3339.format(Instant.parse("2025-10-07T03:44:18.120Z"))).isEqualTo("2025-10-07T03:44:18.12Z");
        assertThat(Rfc3339.format(Instant.parse("2025-10-05T17:46:06.123456789Z"))).isEqualTo("2025-10-05T17:46:06.123456789Z");
    }
}
