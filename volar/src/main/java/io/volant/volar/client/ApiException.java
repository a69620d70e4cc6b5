package io.volant.volar.client;

/**
 * volantd answered with a non-2xx status; {@link #getMessage()} is the server's {@code error} member.
 *
 * @see Problems#describe(ApiException) for the line a user sees
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String path;
    private final boolean keySent;
    private final boolean html;

    public ApiException(int status, String serverMessage) {
        this(status, serverMessage, "", false, false);
    }

    /**
     * @param path    the request path (names the resource of a 404)
     * @param keySent whether an API key went out (tells "required" from "rejected" on a 401)
     * @param html    whether the answer was an HTML page (not volantd, or the wrong path)
     */
    public ApiException(int status, String serverMessage, String path, boolean keySent, boolean html) {
        super(serverMessage);
        this.status = status;
        this.path = path;
        this.keySent = keySent;
        this.html = html;
    }

    public int status() {
        return status;
    }

    public String path() {
        return path;
    }

    public boolean keySent() {
        return keySent;
    }

    public boolean html() {
        return html;
    }
}
