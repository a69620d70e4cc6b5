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

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON_TYPE);
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
