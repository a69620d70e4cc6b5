package io.volant.volar.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned fixed-width columns separated by one space, never truncated (api-and-cli.md §5.1): a value longer
 * than its column pushes the rest of its row right, as Go's {@code %-20s} does.
 */
public final class Table {
    private final int[] widths;
    private final List<String> lines = new ArrayList<>();

    /** @param widths the width of every column but the last, which is printed as is */
    public Table(int... widths) {
        this.widths = widths.clone();
    }

    public Table row(Object... cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = String.valueOf(cells[i]);
            if (i > 0) {
                b.append(' ');
            }
            b.append(c);
            if (i < cells.length - 1 && i < widths.length) {
                b.append(" ".repeat(Math.max(0, widths[i] - c.length())));
            }
        }
        lines.add(b.toString().stripTrailing());
        return this;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }
}
