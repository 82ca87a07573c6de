package dev.batchetl.history;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text cells printed in aligned columns, two spaces apart: numbers right-aligned,
 * everything else left-aligned, no trailing spaces.
 */
public final class TextTable {

    private final String indent;

    private final boolean[] right;

    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param indent printed before each line
     * @param columns column headers; a header starting with {@code >} is a right-aligned
     * column (the {@code >} is not printed)
     */
    public TextTable(String indent, String... columns) {
        this.indent = indent;
        this.right = new boolean[columns.length];
        String[] header = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            this.right[i] = columns[i].startsWith(">");
            header[i] = this.right[i] ? columns[i].substring(1) : columns[i];
        }
        this.rows.add(header);
    }

    public TextTable row(Object... cells) {
        if (cells.length != this.right.length) {
            throw new IllegalArgumentException("expected " + this.right.length + " cells, got " + cells.length);
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "" : cells[i].toString();
        }
        this.rows.add(row);
        return this;
    }

    /** The header line first, then one line per row. */
    public List<String> lines() {
        int[] widths = new int[this.right.length];
        for (String[] row : this.rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(this.rows.size());
        for (String[] row : this.rows) {
            StringBuilder line = new StringBuilder(this.indent);
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(this.right[i] ? pad + row[i] : row[i] + pad);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

}
