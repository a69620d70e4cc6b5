package io.volant.testing;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Decoder robustness properties (issue 16): inputs made by damaging a real document, and the one check every decoder
 * property makes — it either decodes or throws its documented exception, with a message.
 */
public final class Mutations {
    private static final int MAX_REGION = 30;

    private Mutations() {}

    /** {@code sample} with one region of up to 30 characters replaced by a value of {@code junk}. */
    public static Arbitrary<String> around(String sample, Arbitrary<String> junk) {
        return Arbitraries.integers().between(0, sample.length()).flatMap(start ->
                Arbitraries.integers().between(start, Math.min(sample.length(), start + MAX_REGION)).flatMap(end ->
                        junk.map(j -> sample.substring(0, start) + j + sample.substring(end))));
    }

    /** Runs {@code decode}; anything it throws must be a {@code documented} exception with a message. */
    public static void decodesOrRefuses(Runnable decode, Class<? extends RuntimeException> documented) {
        try {
            decode.run();
        } catch (RuntimeException e) {
            assertThat(e).isInstanceOf(documented);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
