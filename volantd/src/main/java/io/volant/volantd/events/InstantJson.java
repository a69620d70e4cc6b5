package io.volant.volantd.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes an {@link Instant} as RFC 3339 UTC with {@code Z}, fractional seconds only when non-zero (api-and-cli.md
 * §1.5), so the domain records serialize with any mapper, including {@code Manifests.mapper()} which has no
 * java.time module.
 */
public final class InstantJson extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    public InstantJson() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
    }
}
