package io.volant.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * String and collection helpers that reproduce the Go semantics the spec is written in
 * ({@code strings.TrimSpace}, {@code strings.ToLower}, {@code %q}) and the model's "never null" rules.
 */
final class Text {
    /**
     * Code-point order, which equals the byte order of UTF-8 (Go's string order), unlike
     * {@link String#compareTo}, which orders by UTF-16 units.
     */
    static final Comparator<String> CODE_POINT_ORDER = Text::compareCodePoints;

    private Text() {}

    /** Go's {@code unicode.IsSpace}: Latin-1 spaces plus the Unicode White_Space property. */
    static boolean isGoSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Go's {@code strings.TrimSpace}; null becomes "". */
    static String trim(String s) {
        if (s == null) {
            return "";
        }
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!isGoSpace(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!isGoSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    /** Trim, then lower-case locale-independently. */
    static String trimLower(String s) {
        return trim(s).toLowerCase(Locale.ROOT);
    }

    /**
     * The model's string rule: null becomes "", and unpaired UTF-16 surrogates (which a JSON escape of a lone
     * surrogate can produce but UTF-8 cannot carry) become U+FFFD, as Go's decoder does. This keeps every
     * model string encodable, so JSON and command-line round trips are exact.
     */
    static String orEmpty(String s) {
        if (s == null) {
            return "";
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return replaceLoneSurrogates(s);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** Immutable list of model strings (see {@link #orEmpty}); null list → empty. */
    static List<String> strings(List<String> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(in.size());
        for (String t : in) {
            out.add(orEmpty(t));
        }
        return Collections.unmodifiableList(out);
    }

    /** {@link #sortedMap} for string values, which also follow the model's string rule. */
    static Map<String, String> stringMap(Map<String, String> in) {
        if (in == null || in.isEmpty()) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, String> out = new TreeMap<>(CODE_POINT_ORDER);
        in.forEach((k, v) -> out.put(key(k), orEmpty(v)));
        return Collections.unmodifiableSortedMap(out);
    }

    private static String key(String k) {
        if (k == null) {
            throw new ManifestException("plugin manifest: map key must not be null");
        }
        return orEmpty(k);
    }

    /** Go's {@code %q} / {@code strconv.Quote}: double quotes, Go escapes for non-printable characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0B -> b.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (isGoPrintable(cp)) {
                        b.appendCodePoint(cp);
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isGoPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Immutable list; a null list becomes empty and null elements become {@code zero}. */
    static <T> List<T> list(List<T> in, T zero) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(in.size());
        for (T t : in) {
            out.add(t == null ? zero : t);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Immutable map sorted in code-point order (so iteration and JSON output are reproducible); a null map
     * becomes empty, null values become {@code zero}. A null key cannot come from JSON and is rejected.
     */
    static <V> Map<String, V> sortedMap(Map<String, V> in, V zero) {
        if (in == null || in.isEmpty()) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, V> out = new TreeMap<>(CODE_POINT_ORDER);
        in.forEach((k, v) -> out.put(key(k), v == null ? zero : v));
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * Re-keys a model map (iterated in sorted order) by trimmed key, dropping entries whose trimmed key is empty.
     * When several keys collapse onto one, the entry whose key was already trimmed wins, otherwise the first in
     * code-point order, so the result is deterministic (Go's map iteration would make it random).
     */
    static <V> Map<String, V> rekey(Map<String, V> in, Function<V, V> value) {
        SortedMap<String, V> out = new TreeMap<>(CODE_POINT_ORDER);
        for (Map.Entry<String, V> e : in.entrySet()) {
            String key = trim(e.getKey());
            if (key.isEmpty()) {
                continue;
            }
            V v = value.apply(e.getValue());
            if (key.equals(e.getKey())) {
                out.put(key, v);
            } else {
                out.putIfAbsent(key, v);
            }
        }
        return out.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(out);
    }
}
