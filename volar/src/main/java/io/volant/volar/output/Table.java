package io.volant.volar.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns sized to their widest cell (header included), three spaces apart, never truncated, so a
 * 40-character VM name keeps every row aligned (issue 17 row 8). The last column is not padded.
 */
public final class Table {
    private static final String GAP = "   ";
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header.clone());
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "" : String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public List<String> lines() {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    b.append(GAP);
                }
                b.append(r[i]);
                if (i < r.length - 1) {
                    b.append(" ".repeat(widths[i] - r[i].codePointCount(0, r[i].length())));
                }
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }
}
