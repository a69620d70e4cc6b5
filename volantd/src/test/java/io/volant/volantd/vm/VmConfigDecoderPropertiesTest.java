package io.volant.volantd.vm;


import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.testing.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 16: the VM-config decoder, normalization and validation never throw anything but the documented
 * {@link InvalidArgumentException} (a 400), for random text and for mutations of a real config.
 */
class VmConfigDecoderPropertiesTest {
    private static final String SAMPLE = "{\"plugin\":\"caddy\",\"runtime\":\"caddy\",\"kernel_cmdline\":\"quiet\","
            + "\"resources\":{\"cpu_cores\":2,\"memory_mb\":512},\"api\":{\"host\":\"\",\"port\":\"\"},"
            + "\"devices\":{\"pci_passthrough\":[\"0000:01:00.0\"],\"allowlist\":[\"10de:*\"]},"
            + "\"metadata\":{\"team\":\"web\"},\"expose\":[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":80,"
            + "\"host_port\":8080,\"mode\":\"nat\"}],\"cloud_init\":{\"user_data\":{\"content\":\"#cloud-config\"}},"
            + "\"network\":{\"mode\":\"bridged\"}}";

    private static void decodesOrRefuses(String text) {
        Mutations.decodesOrRefuses(() -> {
            VmConfig n = VmConfigs.normalize(VmConfigCodec.fromJsonString(text));
            VmConfigs.validate(n);
            VmConfigCodec.fromJsonString(VmConfigCodec.toJsonString(n));
        }, InvalidArgumentException.class);
    }

    @Property(tries = 1000)
    void random_text_decodes_or_fails_with_invalid_argument(@ForAll String text) {
        decodesOrRefuses(text);
    }

    @Property(tries = 1500)
    void mutated_configs_decode_or_fail_with_invalid_argument(@ForAll("mutations") String text) {
        decodesOrRefuses(text);
    }

    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "[]", "{}", "-1", "1e999", "\"\"", "0.5", "[[[[", "}", "\"\\u0000\"",
                        "2147483648", "9223372036854775808", "{\"a\":{\"b\":[1,{}]}}", "\"\\ud800\"", "NaN"),
                Arbitraries.strings().withChars("{}[]\":,0123456789abc\\-.e ").ofMaxLength(40));
        return Mutations.around(SAMPLE, junk);
    }
}
