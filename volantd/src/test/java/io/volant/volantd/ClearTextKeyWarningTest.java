package io.volant.volantd;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The start-up WARN when the API key would travel in clear text (issue 16, TLS). */
class ClearTextKeyWarningTest {
    @TempDir
    Path dir;

    private List<String> warnings(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("VOLANT_RUNTIME_BACKEND", "simulated",
                "VOLANT_DB_PATH", dir.resolve("state.db").toString()));
        env.putAll(extra);
        VolantdConfig config = ConfigLoader.load(env, dir.toString(), false);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Main.class);
        logger.addAppender(appender);
        try {
            Main.warnIfKeyInClearText(config);
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a_key_on_a_non_loopback_listener_without_tls_is_warned_about() {
        assertThat(warnings(Map.of("VOLANT_API_KEY", "k", "VOLANT_API_LISTEN", "0.0.0.0:7777")))
                .singleElement().asString().startsWith("api key travels in clear text");
    }

    @Test
    void loopback_no_key_or_tls_stay_quiet() throws Exception {
        assertThat(warnings(Map.of("VOLANT_API_KEY", "k", "VOLANT_API_LISTEN", "127.0.0.1:7777"))).isEmpty();
        assertThat(warnings(Map.of("VOLANT_API_LISTEN", "0.0.0.0:7777"))).isEmpty();
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThat(warnings(Map.of("VOLANT_API_KEY", "k", "VOLANT_API_LISTEN", "0.0.0.0:7777",
                "VOLANT_TLS_CERT", cert.toString(), "VOLANT_TLS_KEY", cert.toString()))).isEmpty();
    }
}
