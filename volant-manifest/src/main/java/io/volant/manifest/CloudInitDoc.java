package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One cloud-init document: inline {@code content} ({@code inline: true}) or a {@code path}
 * ({@code inline: false}), never both. Content may hold secrets: never log it.
 */
@JsonPropertyOrder({"inline", "content", "path"})
public record CloudInitDoc(
        @JsonProperty("inline") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean inline,
        @JsonProperty("content") @JsonInclude(JsonInclude.Include.NON_EMPTY) String content,
        @JsonProperty("path") @JsonInclude(JsonInclude.Include.NON_EMPTY) String path) {

    public CloudInitDoc {
        content = Text.orEmpty(content);
        path = Text.orEmpty(path);
    }

    /** @return an inline document holding {@code content} */
    public static CloudInitDoc inline(String content) {
        return new CloudInitDoc(true, content, "");
    }

    /** @return a document referring to a file */
    public static CloudInitDoc file(String path) {
        return new CloudInitDoc(false, "", path);
    }

    /** Redacted: the content may carry secrets and must never reach a log through {@code toString}. */
    @Override
    public String toString() {
        return "CloudInitDoc[inline=" + inline + ", content=<" + content.length() + " chars>, path=" + path + "]";
    }
}
