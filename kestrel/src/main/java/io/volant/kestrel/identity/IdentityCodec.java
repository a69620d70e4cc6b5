package io.volant.kestrel.identity;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Encodes and decodes protocol lines: one JSON object per line, UTF-8, at most {@link #MAX_LINE} bytes without the
 * newline. Decoding validates every field and names the bad one in its {@link IllegalArgumentException}.
 */
public final class IdentityCodec {
    /** Longest line, newline excluded. */
    public static final int MAX_LINE = 64 * 1024;
    /** Bytes of {@code entropy} the host sends. */
    public static final int ENTROPY_BYTES = 64;

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    // RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens; the kernel keeps 64 bytes.
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOSTNAME = Pattern.compile("(?=.{1,64}$)" + LABEL + "(\\." + LABEL + ")*");

    private final ObjectMapper json = new ObjectMapper();

    /** The line for {@code m}, without the newline. */
    public String encode(IdentityMessage m) {
        ObjectNode o = json.createObjectNode();
        switch (m) {
            case IdentityMessage.Warm w -> o.put("type", "warm");
            case IdentityMessage.Applied a -> o.put("type", "applied");
            case IdentityMessage.TimeRequest r -> o.put("type", "time_request").put("seq", r.seq());
            case IdentityMessage.Time t -> o.put("type", "time").put("seq", t.seq()).put("time_unix_ms", t.timeUnixMs());
            case IdentityMessage.Failed f -> o.put("type", "failed").put("error", oneLine(f.error()));
            case IdentityMessage.Identity i -> o.put("type", "identity").put("cmdline", i.cmdline())
                    .put("mac", i.mac()).put("hostname", i.hostname()).put("time_unix_ms", i.timeUnixMs())
                    .put("entropy", Base64.getEncoder().encodeToString(i.entropy()));
        }
        return o.toString();
    }

    /** Newlines and carriage returns of an error message as spaces: a message is one protocol line. */
    static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * Decodes one line (newline stripped).
     *
     * @throws IllegalArgumentException naming the field and rule: not JSON, too long, unknown type, bad field
     */
    public IdentityMessage decode(String line) {
        int bytes = line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_LINE) {
            throw new IllegalArgumentException("message is " + bytes + " bytes, limit " + MAX_LINE);
        }
        JsonNode o;
        try {
            o = json.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("message is not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("message is not a JSON object");
        }
        String type = text(o, "type");
        return switch (type) {
            case "warm" -> new IdentityMessage.Warm();
            case "applied" -> new IdentityMessage.Applied();
            case "failed" -> new IdentityMessage.Failed(o.path("error").asText(""));
            case "identity" -> identity(o);
            case "time_request" -> new IdentityMessage.TimeRequest(integer(o, "seq", 0));
            case "time" -> new IdentityMessage.Time(integer(o, "seq", 0), integer(o, "time_unix_ms", 1));
            default -> throw new IllegalArgumentException(
                    "type \"" + type + "\" is not one of warm, identity, time_request, time, applied, failed");
        };
    }

    private static IdentityMessage.Identity identity(JsonNode o) {
        String cmdline = text(o, "cmdline");
        if (cmdline.isBlank()) {
            throw new IllegalArgumentException("cmdline is empty");
        }
        for (String tok : cmdline.strip().split("\\s+")) {
            if (tok.equals("volant.template") || tok.startsWith("volant.template=")) {
                throw new IllegalArgumentException("cmdline must not contain volant.template (a clone's own line)");
            }
        }
        String mac = text(o, "mac");
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("mac \"" + mac + "\" is not six colon-separated hex octets");
        }
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("mac \"" + mac + "\" is a multicast address");
        }
        String hostname = text(o, "hostname");
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException(
                    "hostname \"" + hostname + "\" is not an RFC 1123 host name of 1-64 bytes");
        }
        long time = integer(o, "time_unix_ms", 1);
        byte[] entropy;
        try {
            entropy = Base64.getDecoder().decode(text(o, "entropy"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entropy is not base64: " + e.getMessage());
        }
        if (entropy.length != ENTROPY_BYTES) {
            throw new IllegalArgumentException("entropy is " + entropy.length + " bytes, must be " + ENTROPY_BYTES);
        }
        return new IdentityMessage.Identity(cmdline, mac.toLowerCase(Locale.ROOT), hostname, time,
                entropy);
    }

    /** The integer {@code field}, at least {@code min}; a time is in milliseconds since 1970. */
    private static long integer(JsonNode o, String field, long min) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < min) {
            throw new IllegalArgumentException(field + " must be an integer of at least " + min
                    + (field.equals("time_unix_ms") ? " (milliseconds since 1970)" : ""));
        }
        return v.asLong();
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return v.asText();
    }
}
