package io.volant.volantd.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON form of {@link VmConfig} (control-plane.md §4.1 serialization rules), shared by the store and the
 * HTTP layer. Unknown members are ignored when decoding.
 */
public final class VmConfigCodec {
    private VmConfigCodec() {}

    /** Encodes with the omission rules of §4.1. */
    public static ObjectNode toJson(VmConfig config) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Decodes a client- or store-supplied config object.
     *
     * @throws io.volant.volantd.errors.InvalidArgumentException {@code vmconfig: decode: <detail>} for wrong types
     */
    public static VmConfig fromJson(JsonNode json) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
