package io.volant.volantd.vm;

import java.util.List;

/** One page of results; {@code total} is the count after filtering, before pagination ({@code X-Total-Count}). */
public record Page<T>(List<T> items, int total) {
    public Page {
        items = List.copyOf(items);
    }
}
