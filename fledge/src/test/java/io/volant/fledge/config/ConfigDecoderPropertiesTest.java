package io.volant.fledge.config;


import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.testing.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 16: {@code fledge.toml} decoding (TOML parse, defaults, validation) never throws anything but the documented
 * {@link FledgeException}, for random text and for mutations of a real configuration.
 */
class ConfigDecoderPropertiesTest {
    private static final String SAMPLE = """
            version = "1"
            strategy = "initramfs"

            [agent]
            source_strategy = "release"
            version = "latest"

            [source]
            busybox_url = "https://example.com/busybox"
            busybox_sha256 = "6e123e7f3202a8c1e9b1f94d8941580a25135382b99e8d3e34fb858bba311348"

            [filesystem]
            type = "ext4"
            size_buffer_mb = 64

            [mappings]
            "payload/app" = "/usr/local/bin/app"
            """;

    private final ConfigLoader loader = new ConfigLoader(Log.silent());

    private void decodesOrRefuses(String text) {
        Mutations.decodesOrRefuses(() -> loader.parse(text), FledgeException.class);
    }

    @Property(tries = 1000)
    void random_text_decodes_or_fails_with_fledge_exception(@ForAll String text) {
        decodesOrRefuses(text);
    }

    @Property(tries = 1500)
    void mutated_configs_decode_or_fail_with_fledge_exception(@ForAll("mutations") String text) {
        decodesOrRefuses(text);
    }

    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.of("[", "]]", "=", "\"", "'''", "\n[agent]\n", "-1", "1e999", "true", "[[mappings]]",
                        "nan", "inf", "0x7fffffffffffffff", "{a=1}", "\\u0000", "\"\\ud800\""),
                Arbitraries.strings().withChars("[]{}=\"'#.,0123456789abc\\-\n ").ofMaxLength(40));
        return Mutations.around(SAMPLE, junk);
    }
}
