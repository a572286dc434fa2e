package org.omerofleet.sandbox;

import java.util.List;

/**
 * Write the SQL a simulated release ships: upgrade steps, prechecks, the psql footer and schema.sql.
 *
 * <p>4.x steps use the old quoted-body assert ({@code ASSERTION ERROR: Wrong database version}); 5.x
 * steps use a dollar-quoted one ({@code wrong OMERO database version for this upgrade script}) and
 * also check the PostgreSQL version and UTF8 encoding.
 */
final class SqlScripts {

    private static final String SUCCESS = "YOU HAVE SUCCESSFULLY UPGRADED YOUR DATABASE TO VERSION ";

    private SqlScripts() {
    }

    static String upgrade(SchemaHistory.Step step, OmeroReleases.Fault fault) {
        boolean legacy = step.target().version().startsWith("OMERO4");
        List<String> changes = SchemaHistory.changesBetween(step.source(), step.target());
        StringBuilder sql = new StringBuilder();
        sql.append("-- Upgrade an OMERO database from ").append(step.source()).append(" to ")
                .append(step.target()).append(" (omero-fleet sandbox)\n");
        if (fault.transactional()) {
            sql.append("BEGIN;\n\n");
        }
        sql.append(notInUse());
        sql.append(legacy ? legacyAssert() : modernAssert());
        sql.append("SELECT omero_assert_db_version('").append(step.source().version()).append("', ")
                .append(step.source().patch()).append(");\n");
        sql.append("DROP FUNCTION omero_assert_db_version(varchar, int);\n\n");
        if (!legacy) {
            sql.append(prerequisites(fault));
        }
        sql.append("INSERT INTO dbpatch (currentVersion, currentPatch, previousVersion, previousPatch)\n")
                .append("     VALUES ('").append(step.target().version()).append("', ").append(step.target().patch())
                .append(", '").append(step.source().version()).append("', ").append(step.source().patch())
                .append(");\n\n");
        int half = Math.max(1, (changes.size() + 1) / 2);
        for (int i = 0; i < changes.size(); i++) {
            sql.append(changes.get(i)).append(";\n");
            if (i + 1 == half && fault == OmeroReleases.Fault.FAIL_MIDWAY) {
                sql.append("-- injected fault: fail after half of the changes\n")
                        .append("SELECT omero_sandbox_no_such_function();\n");
            }
        }
        if (fault == OmeroReleases.Fault.FAILS_ON_DATA) {
            sql.append("-- a constraint the data of some hosts breaks\n")
                    .append("ALTER TABLE image ADD CONSTRAINT image_name_not_blank_").append(step.target().toString().replaceAll("[^A-Za-z0-9]", "_"))
                    .append(" CHECK (name <> '');\n");
        }
        sql.append('\n').append(finish(step, fault));
        sql.append(legacy ? legacyStatus(step.target()) : modernStatus());
        if (fault.transactional()) {
            sql.append("\nCOMMIT;\n");
        }
        return sql.toString();
    }

    /** A check that changes nothing: asserts the version, prints readiness, rolls back. */
    static String precheck(SchemaHistory.Step step, OmeroReleases.Fault fault) {
        return "-- Check that an OMERO database can be upgraded from " + step.source() + " to " + step.target()
                + ". Changes nothing; safe while the server runs.\n"
                + "BEGIN;\n\n" + modernAssert()
                + "SELECT omero_assert_db_version('" + step.source().version() + "', " + step.source().patch()
                + ");\n" + prerequisites(fault)
                + "SELECT E'\\n\\n\\nYOUR DATABASE IS READY FOR UPGRADE TO VERSION " + step.target()
                + "\\n\\n\\n' AS Status;\n\nROLLBACK;\n";
    }

    /** A helper fragment, not a chain step: prints the status line from the newest dbpatch row. */
    static String footer() {
        return "-- Footer shared by upgrade scripts (not an upgrade step on its own)\n" + modernStatus();
    }

    /** Create the whole schema of {@code own} from nothing, ending in a finished dbpatch row. */
    static String schema(SchemaId own) {
        StringBuilder sql = new StringBuilder("-- Create an OMERO ").append(own)
                .append(" database from scratch (omero-fleet sandbox)\nBEGIN;\n\n");
        for (String statement : SchemaHistory.base()) {
            sql.append(statement).append(";\n\n");
        }
        for (String statement : SchemaHistory.changesBetween(SchemaHistory.ORDER.get(0), own)) {
            sql.append(statement).append(";\n");
        }
        sql.append("\nINSERT INTO dbpatch (currentVersion, currentPatch, previousVersion, previousPatch,"
                + " message, finished)\n     VALUES ('")
                .append(own.version()).append("', ").append(own.patch()).append(", '").append(own.version())
                .append("', ").append(own.patch()).append(", 'Database updated.', clock_timestamp());\n\nCOMMIT;\n");
        return sql.toString();
    }

    private static String finish(SchemaHistory.Step step, OmeroReleases.Fault fault) {
        String where = " WHERE currentVersion = '" + step.target().version() + "' AND currentPatch = "
                + step.target().patch() + "\n   AND previousVersion = '" + step.source().version()
                + "' AND previousPatch = " + step.source().patch();
        if (fault == OmeroReleases.Fault.SILENT_ERROR) {
            // injected fault: the table name is wrong, so the row stays at 'Updating'
            return "UPDATE dbpatch SET message = 'Database updated.', finished = clock_timestamp()\n"
                    + " WHERE id = (SELECT max(id) FROM dbpatches);\n\n";
        }
        if (fault == OmeroReleases.Fault.UNFINISHED) {
            // injected fault: a condition that matches no row, so nothing errs and nothing is finished
            return "UPDATE dbpatch SET message = 'Database updated.', finished = clock_timestamp()\n" + where + " AND id < 0;\n\n";
        }
        return "UPDATE dbpatch SET message = 'Database updated.', finished = clock_timestamp()\n" + where + ";\n\n";
    }

    private static String legacyAssert() {
        return "CREATE OR REPLACE FUNCTION omero_assert_db_version(version varchar, patch int) RETURNS void AS '\n"
                + "DECLARE\n    rec RECORD;\nBEGIN\n"
                + "    SELECT INTO rec * FROM dbpatch\n"
                + "     WHERE id = (SELECT id FROM dbpatch ORDER BY id DESC LIMIT 1)\n"
                + "       AND currentVersion = version AND currentPatch = patch;\n"
                + "    IF NOT FOUND THEN\n"
                + "        RAISE EXCEPTION ''ASSERTION ERROR: Wrong database version'';\n"
                + "    END IF;\nEND;' LANGUAGE plpgsql;\n\n";
    }

    private static String modernAssert() {
        return "CREATE OR REPLACE FUNCTION omero_assert_db_version(expected_version varchar, expected_patch int)"
                + " RETURNS void AS $$\n"
                + "DECLARE\n    found_version varchar;\n    found_patch int;\nBEGIN\n"
                + "    SELECT currentVersion, currentPatch INTO found_version, found_patch\n"
                + "      FROM dbpatch ORDER BY id DESC LIMIT 1;\n"
                + "    IF found_version IS DISTINCT FROM expected_version"
                + " OR found_patch IS DISTINCT FROM expected_patch THEN\n"
                + "        RAISE EXCEPTION 'wrong OMERO database version for this upgrade script';\n"
                + "    END IF;\nEND;$$ LANGUAGE plpgsql;\n\n";
    }

    /**
     * Refuse to run while a server holds a session on the database (the simulated server's
     * {@code application_name} is {@code OMERO.server}); a session just closed gets five seconds to end.
     */
    private static String notInUse() {
        String inUse = "EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'OMERO.server' AND pid <> pg_backend_pid())";
        return "DO $$\nBEGIN\n"
                + "    FOR i IN 1..50 LOOP\n        EXIT WHEN NOT " + inUse + ";\n        PERFORM pg_sleep(0.1);\n    END LOOP;\n"
                + "    IF " + inUse + " THEN\n"
                + "        RAISE EXCEPTION 'database % is in use by a running OMERO.server: stop the server before upgrading', current_database();\n"
                + "    END IF;\nEND $$;\n\n";
    }

    private static String prerequisites(OmeroReleases.Fault fault) {
        boolean newer = fault == OmeroReleases.Fault.NEEDS_NEWER_POSTGRES;
        return "DO $$\nDECLARE\n    db_encoding text;\nBEGIN\n"
                + "    IF current_setting('server_version_num')::int < " + (newer ? "990000" : "90300") + " THEN\n"
                + "        RAISE EXCEPTION 'PostgreSQL database server version % is less than OMERO prerequisite %',\n"
                + "            current_setting('server_version'), '" + (newer ? "99.0" : "9.3") + "';\n"
                + "    END IF;\n"
                + "    SELECT pg_encoding_to_char(encoding) INTO db_encoding FROM pg_database"
                + " WHERE datname = current_database();\n"
                + "    IF db_encoding <> 'UTF8' THEN\n"
                + "        RAISE EXCEPTION 'OMERO database character encoding must be UTF8, not %', db_encoding;\n"
                + "    END IF;\nEND;$$;\n\n";
    }

    private static String legacyStatus(SchemaId target) {
        return "SELECT CHR(10) || CHR(10) || CHR(10) || '" + SUCCESS + target
                + "' || CHR(10) || CHR(10) || CHR(10) AS Status;\n";
    }

    private static String modernStatus() {
        return "SELECT E'\\n\\n\\n" + SUCCESS + "' || currentVersion || '__' || currentPatch || E'\\n\\n\\n' AS Status\n"
                + "  FROM dbpatch WHERE id = (SELECT id FROM dbpatch ORDER BY id DESC LIMIT 1);\n";
    }
}
