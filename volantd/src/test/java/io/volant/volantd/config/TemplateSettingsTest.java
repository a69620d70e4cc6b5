package io.volant.volantd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateSettingsTest {
    @Test
    void defaults_are_on_with_the_documented_timeouts() {
        assertThat(TemplateSettings.fromEnv(Map.of())).isEqualTo(new TemplateSettings(true, Duration.ofSeconds(300),
                Duration.ofSeconds(60), Duration.ofSeconds(600)));
    }

    @Test
    void every_variable_is_read() {
        TemplateSettings s = TemplateSettings.fromEnv(Map.of("VOLANT_TEMPLATES", "OFF",
                "VOLANT_TEMPLATE_BOOT_TIMEOUT_SECONDS", "90", "VOLANT_CLONE_TIMEOUT_SECONDS", "7",
                "VOLANT_TEMPLATE_RETRY_SECONDS", "30"));
        assertThat(s).isEqualTo(new TemplateSettings(false, Duration.ofSeconds(90), Duration.ofSeconds(7),
                Duration.ofSeconds(30)));
    }

    @Test
    void bad_values_name_the_variable_and_the_value() {
        assertThatThrownBy(() -> TemplateSettings.fromEnv(Map.of("VOLANT_TEMPLATES", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VOLANT_TEMPLATES").hasMessageContaining("maybe");
        assertThatThrownBy(() -> TemplateSettings.fromEnv(Map.of("VOLANT_CLONE_TIMEOUT_SECONDS", "0")))
                .hasMessageContaining("VOLANT_CLONE_TIMEOUT_SECONDS must be >= 1, got 0");
        assertThatThrownBy(() -> TemplateSettings.fromEnv(Map.of("VOLANT_TEMPLATE_RETRY_SECONDS", "ten")))
                .hasMessageContaining("VOLANT_TEMPLATE_RETRY_SECONDS must be a whole number of seconds, got \"ten\"");
    }

    @Test
    void the_loaded_config_carries_them() {
        VolantdConfig c = ConfigLoader.load(Map.of("VOLANT_TEMPLATES", "off", "VOLANT_RUNTIME_BACKEND", "simulated"),
                "/tmp", false);
        assertThat(c.templates().enabled()).isFalse();
    }
}
