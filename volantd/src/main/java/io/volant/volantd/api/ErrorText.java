package io.volant.volantd.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps error messages short and free of library internals: a message echoes at most a bounded piece of the input
 * (a 10 MiB name must not come back in a 10 MB 400), and Jackson's configuration hints (which name its classes and
 * feature flags) are cut, since a client can neither read nor act on them.
 */
final class ErrorText {
    /** Longest message written to a client. */
    static final int MAX_MESSAGE = 512;
    /** Longest quoted input echoed inside a message. */
    static final int MAX_QUOTED = 64;

    private static final Pattern QUOTED = Pattern.compile("([\"'])([^\"']{" + (MAX_QUOTED + 1) + ",})\\1");
    private static final Pattern JACKSON_HINTS = Pattern.compile(
            ", from `[^`]*`|:? ?\\(?enable `[^`]*` to allow\\)?|;? ?\\(?(?:set|use|disable) `[^`]*`[^)]*\\)?"
                    + "|`[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+(?:\\(\\))?`");

    private ErrorText() {}

    static String bounded(String message) {
        if (message == null) {
            return "";
        }
        Matcher q = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (q.find()) {
            String value = q.group(2);
            q.appendReplacement(out, Matcher.quoteReplacement(q.group(1) + value.substring(0, MAX_QUOTED) + "..."
                    + q.group(1)));
        }
        q.appendTail(out);
        String m = out.toString();
        if (m.length() > MAX_MESSAGE) {
            m = m.substring(0, MAX_MESSAGE - 3) + "...";
        }
        return m;
    }

    /** A JSON decoder's message without its hints about the decoder's own configuration. */
    static String withoutLibraryHints(String message) {
        return message == null ? null : JACKSON_HINTS.matcher(message).replaceAll("").trim();
    }
}
