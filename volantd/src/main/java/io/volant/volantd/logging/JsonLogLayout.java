package io.volant.volantd.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line (api-and-cli.md §3.2, §4.4): {@code time}, {@code level}, {@code msg},
 * {@code subsystem} = volantd, {@code logger}, then the event's structured key/value pairs as members, and
 * {@code error} with the stack trace when there is one. Used by volantd's logback.xml.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        member(out, "time", Rfc3339.format(Instant.ofEpochMilli(event.getTimeStamp())), true);
        member(out, "level", event.getLevel().toString(), false);
        member(out, "msg", event.getFormattedMessage(), false);
        member(out, "subsystem", "volantd", false);
        member(out, "logger", shortName(event.getLoggerName()), false);
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair kv : pairs) {
                out.append(',');
                string(out, kv.key);
                out.append(':');
                value(out, kv.value);
            }
        }
        if (event.getThrowableProxy() != null) {
            member(out, "error", ThrowableProxyUtil.asString(event.getThrowableProxy()), false);
        }
        out.append("}\n");
        return out.toString();
    }

    private static void member(StringBuilder out, String key, String value, boolean first) {
        if (!first) {
            out.append(',');
        }
        string(out, key);
        out.append(':');
        string(out, value);
    }

    private static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
