package io.volant.volar.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/** The columns of a list command: {@code -o table} shows the narrow ones, {@code -o wide} all of them. */
public final class Listing {
    private Listing() {}

    /** One column; {@code wideOnly} columns appear with {@code -o wide} only. */
    public record Column(String header, Function<JsonNode, Object> value, boolean wideOnly) {}

    public static Column col(String header, Function<JsonNode, Object> value) {
        return new Column(header, value, false);
    }

    public static Column wide(String header, Function<JsonNode, Object> value) {
        return new Column(header, value, true);
    }

    /** Header and one row per item. */
    public static List<String> render(Iterable<JsonNode> items, List<Column> columns, boolean wide) {
        List<Column> shown = columns.stream().filter(c -> wide || !c.wideOnly()).toList();
        Table t = new Table(shown.stream().map(Column::header).toArray(String[]::new));
        for (JsonNode item : items) {
            t.row(shown.stream().map(c -> c.value().apply(item)).toArray());
        }
        return t.lines();
    }
}
