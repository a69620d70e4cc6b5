package io.volant.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;
import java.util.List;

/**
 * Reads {@link DeviceConfig} for the annotation-free parse mapper ({@link Manifests}): the same members as the
 * annotated record, including the {@code vfio} alias of {@code pci_passthrough} (the later member wins, as with the
 * annotation, and errors name it {@code pci_passthrough}), unknown members skipped, {@code null} members left to the
 * record's defaults.
 */
final class DeviceConfigReader extends StdDeserializer<DeviceConfig> {
    private static final JavaType STRINGS = TypeFactory.defaultInstance().constructCollectionType(List.class,
            String.class);

    DeviceConfigReader() {
        super(DeviceConfig.class);
    }

    @Override
    public DeviceConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            t = p.nextToken();
        }
        if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
            return (DeviceConfig) ctxt.handleUnexpectedToken(DeviceConfig.class, p);
        }
        List<String> pci = null;
        List<String> allowlist = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            try {
                switch (name) {
                    case "pci_passthrough", "vfio" -> pci = strings(p, ctxt, value);
                    case "allowlist" -> allowlist = strings(p, ctxt, value);
                    default -> p.skipChildren();
                }
            } catch (JsonMappingException e) {
                // Errors name the member as the annotated record does: the alias under its canonical name.
                throw JsonMappingException.wrapWithPath(e, DeviceConfig.class,
                        name.equals("vfio") ? "pci_passthrough" : name);
            }
        }
        return new DeviceConfig(pci, allowlist);
    }

    private static List<String> strings(JsonParser p, DeserializationContext ctxt, JsonToken value)
            throws IOException {
        return value == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, STRINGS);
    }
}
