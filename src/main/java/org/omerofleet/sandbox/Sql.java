package org.omerofleet.sandbox;

/** Quote SQL identifiers and string literals for statements that cannot take bind parameters. */
final class Sql {

    private Sql() {
    }

    static String identifier(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad SQL identifier: " + name);
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Quote with standard_conforming_strings semantics (on by default since PostgreSQL 9.1). */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in SQL literal");
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
