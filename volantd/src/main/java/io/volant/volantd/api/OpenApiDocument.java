package io.volant.volantd.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The served OpenAPI 3.0.3 document (api-and-cli.md §2.1, §2.13): the upstream export plus every route this
 * server adds, kept as a resource; only {@code servers} changes per request.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "/io/volant/volantd/api/openapi.json";

    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectNode document;

    public OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            document = (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + RESOURCE, e);
        }
    }

    /** The document with {@code servers} = {@code [serverUrl]}, or {@code []} when the URL is empty. */
    public String render(String serverUrl) {
        ObjectNode copy = document.deepCopy();
        var servers = copy.putArray("servers");
        if (!serverUrl.isEmpty()) {
            servers.addObject().put("url", serverUrl);
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
