package io.volant.volantd.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * What happens to a request body no handler read (a 401, 404 or 405 for a POST, a route that ignores its body): Jetty
 * would close the connection after the answer without saying so, and a client reusing it for its next request sees
 * the connection reset (java.net.http: "header parser received no bytes"; non-idempotent requests are not retried).
 * A body up to the JSON limit is read and dropped, so the connection stays usable; anything larger, or of unknown
 * length, is answered with {@code Connection: close} so the client knows not to reuse the connection.
 */
final class UnreadBody {
    private UnreadBody() {}

    static void settle(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(ctx.header("Transfer-Encoding"));
        if (declared <= 0 && !chunked) {
            return;
        }
        if (declared > Json.MAX_BODY_BYTES || chunked || ctx.res().isCommitted()) {
            if (!ctx.res().isCommitted()) {
                ctx.header("Connection", "close");
            }
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] sink = new byte[64 * 1024];
            while (in.read(sink) >= 0) {
                // dropped: the handler had no use for it
            }
        } catch (IOException | IllegalStateException e) {
            ctx.header("Connection", "close");
        }
    }
}
