package io.volant.volantd.store;

import java.time.Instant;

/**
 * A {@code templates} row.
 *
 * @param status    {@code creating} or {@code ready}
 * @param imageJson the saved image (files, launch spec) when ready, else null
 */
public record TemplateRow(String name, String key, String backend, String status, String imageJson,
        Instant createdAt) {
    public static final String CREATING = "creating";
    public static final String READY = "ready";
}
