package io.volant.volantd.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (requests refused before they reach Javalin: control characters in headers, bad
 * UTF-8 or {@code %00} in the path, a URI over the limit, header fields too large) in the API's error shape
 * {@code {"error":…,"code":…}} instead of Jetty's HTML page (api-and-cli.md §1.2).
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);

    private final Json json;

    JsonErrorHandler(Json json) {
        this.json = json;
    }

    /** Every method gets the JSON body (Jetty's default writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON_TYPE);
        if (!drained(request)) {
            // The connection cannot be reused (a request Jetty could not parse, or a body too large to skip): say so,
            // or a client reusing it loses its next request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    /**
     * Reads and drops a parsed request's body (up to the JSON limit) so the answer is not lost to a connection reset
     * while the client is still sending, and the connection stays usable.
     */
    private static boolean drained(Request request) {
        long length = request.getLength();
        if (length > Json.MAX_BODY_BYTES || "/badMessage".equals(request.getHttpURI().getPath())) {
            return false;
        }
        try {
            org.eclipse.jetty.io.Content.Source.consumeAll(request);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON_TYPE);
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status, reason));
    }

    private byte[] body(int code, String message) {
        String reason = HttpStatus.getMessage(code);
        String text = message == null || message.isBlank() || message.equalsIgnoreCase(reason)
                ? reason : reason + ": " + message;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", ErrorText.bounded(text.toLowerCase(Locale.ROOT)));
        body.put("code", code >= 500 ? "internal" : code == 404 ? "not_found" : "invalid");
        return json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
