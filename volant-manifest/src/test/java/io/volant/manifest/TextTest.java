package io.volant.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Go string semantics the spec's messages and normalization rely on. */
class TextTest {

    @Test
    void quote_escapes_like_go_strconv_quote() {
        assertThat(Text.quote("plain")).isEqualTo("\"plain\"");
        assertThat(Text.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(Text.quote("\n\t\r\u0007\u000b\u0000\u007f")).isEqualTo("\"\\n\\t\\r\\a\\v\\x00\\x7f\"");
        assertThat(Text.quote("é😀\u00a0\u200b\uD800")).isEqualTo("\"é😀\\u00a0\\u200b\\ud800\"");
    }

    @Test
    void trim_removes_go_whitespace_from_both_ends_only() {
        assertThat(Text.trim("\u2003\u0085 a b\u3000\u00a0")).isEqualTo("a b");
        assertThat(Text.trim("\u200ba\u200b")).isEqualTo("\u200ba\u200b");
        assertThat(Text.trim(null)).isEmpty();
    }

    @Test
    void code_point_order_matches_utf8_byte_order() {
        // U+FF21 (one UTF-16 unit) sorts after U+1F600 in UTF-16 order but before it in UTF-8 byte order.
        assertThat(Text.compareCodePoints("\uFF21", "😀")).isNegative();
        assertThat("\uFF21".compareTo("😀")).isPositive();
        assertThat(Text.compareCodePoints("a", "ab")).isNegative();
    }
}
