package org.omerofleet.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The differences from Ansible we mean to keep, read from the table in {@code docs/ansible-differences.md}:
 * one row per case and field, {@code | case | field | ansible | omero-fleet | why |}. A divergence is
 * accepted only when its case, field and both values match a row exactly, so a listed difference
 * cannot hide a different one on the same case.
 */
record AcceptedDifferences(List<Row> rows) {

    record Row(String caseId, String field, String ansible, String fleet, String why) {
        boolean accepts(String id, Outcome.Difference d) {
            return caseId.equals(id) && field.equals(d.field()) && ansible.equals(d.ansible()) && fleet.equals(d.fleet());
        }
    }

    AcceptedDifferences {
        rows = List.copyOf(rows);
    }

    static AcceptedDifferences read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(t);
            if (!inTable) {
                // the header row names the columns; the row after it is the |---| rule
                inTable = cells.size() == 5 && cells.get(0).equals("case") && cells.get(1).equals("field");
                continue;
            }
            if (cells.stream().allMatch(c -> c.matches("-+"))) {
                continue;
            }
            if (cells.size() != 5) {
                throw new IOException(file + ": a row of the differences table needs 5 cells: " + line);
            }
            rows.add(new Row(cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4)));
        }
        return new AcceptedDifferences(rows);
    }

    /** Cells without their backquotes, so {@code `exit`} and {@code exit} read the same; {@code \|} is a bar in a cell. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            String c = cell.strip().replace("\\|", "|");
            if (c.length() >= 2 && c.startsWith("`") && c.endsWith("`")) {
                c = c.substring(1, c.length() - 1);
            }
            cells.add(c);
        }
        return cells;
    }

    boolean accepts(String caseId, Outcome.Difference d) {
        return rows.stream().anyMatch(r -> r.accepts(caseId, d));
    }
}
