package org.omerofleet.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated schema history: ordered schemas, the upgrade steps between them, and the DDL each adds.
 */
final class SchemaHistory {

    /** One upgrade script: {@code sql/psql/<target>/<source>.sql}. */
    record Step(SchemaId target, SchemaId source) {
        String path() {
            return target + "/" + source + ".sql";
        }
    }

    static final List<SchemaId> ORDER = List.of(
            s("OMERO4.3__0"), s("OMERO4.4__0"), s("OMERO5.0__0"), s("OMERO5.1__0"), s("OMERO5.1__1"),
            s("OMERO5.2__0"), s("OMERO5.3__0"), s("OMERO5.3__1"), s("OMERO5.4__0"));

    static final List<Step> STEPS = List.of(
            step("OMERO4.4__0", "OMERO4.3__0"), step("OMERO5.0__0", "OMERO4.4__0"),
            step("OMERO5.1__0", "OMERO5.0__0"), step("OMERO5.1__1", "OMERO5.0__0"),
            step("OMERO5.1__1", "OMERO5.1__0"), step("OMERO5.2__0", "OMERO5.1__1"),
            step("OMERO5.3__0", "OMERO5.2__0"), step("OMERO5.3__1", "OMERO5.2__0"),
            step("OMERO5.3__1", "OMERO5.3__0"), step("OMERO5.4__0", "OMERO5.3__0"),
            step("OMERO5.4__0", "OMERO5.3__1"));

    private SchemaHistory() {
    }

    static int rank(SchemaId id) {
        int rank = ORDER.indexOf(id);
        if (rank < 0) {
            throw new IllegalArgumentException("unknown schema " + id);
        }
        return rank;
    }

    /** {@return the steps a release expecting {@code own} ships: all those with a target not after it} */
    static List<Step> shippedBy(SchemaId own) {
        List<Step> shipped = new ArrayList<>();
        for (Step step : STEPS) {
            if (rank(step.target()) <= rank(own)) {
                shipped.add(step);
            }
        }
        return shipped;
    }

    /** {@return the DDL/DML that moves a database from {@code source} to {@code target}} */
    static List<String> changesBetween(SchemaId source, SchemaId target) {
        List<String> all = new ArrayList<>();
        for (int r = rank(source) + 1; r <= rank(target); r++) {
            all.addAll(changesOf(ORDER.get(r)));
        }
        return all;
    }

    /** {@return the statements that create the base (OMERO4.3__0) tables, {@code dbpatch} included} */
    static List<String> base() {
        return List.of(
                "CREATE SEQUENCE seq_dbpatch",
                "CREATE TABLE dbpatch (\n"
                        + "  id int8 NOT NULL DEFAULT nextval('seq_dbpatch'),\n"
                        + "  permissions int8 NOT NULL DEFAULT -35,\n"
                        + "  external_id int8 UNIQUE,\n"
                        + "  currentVersion varchar(255) NOT NULL,\n"
                        + "  currentPatch int4 NOT NULL,\n"
                        + "  previousVersion varchar(255) NOT NULL,\n"
                        + "  previousPatch int4 NOT NULL,\n"
                        + "  finished timestamp,\n"
                        + "  message varchar(255) DEFAULT 'Updating',\n"
                        + "  PRIMARY KEY (id))",
                "ALTER TABLE dbpatch ADD CONSTRAINT unique_dbpatch\n"
                        + "  UNIQUE (currentVersion, currentPatch, previousVersion, previousPatch)",
                table("experimenter", "omename varchar(255) NOT NULL UNIQUE,\n"
                        + "  firstname varchar(255) NOT NULL,\n  lastname varchar(255) NOT NULL"),
                table("project", "name varchar(255) NOT NULL,\n"
                        + "  owner_id int8 NOT NULL REFERENCES experimenter (id)"),
                table("dataset", "name varchar(255) NOT NULL,\n"
                        + "  owner_id int8 NOT NULL REFERENCES experimenter (id)"),
                table("image", "name varchar(255) NOT NULL,\n  acquisitiondate timestamp,\n"
                        + "  owner_id int8 NOT NULL REFERENCES experimenter (id)"),
                table("projectdatasetlink", "parent int8 NOT NULL REFERENCES project (id),\n"
                        + "  child int8 NOT NULL REFERENCES dataset (id),\n  UNIQUE (parent, child)"),
                table("datasetimagelink", "parent int8 NOT NULL REFERENCES dataset (id),\n"
                        + "  child int8 NOT NULL REFERENCES image (id),\n  UNIQUE (parent, child)"));
    }

    private static List<String> changesOf(SchemaId schema) {
        switch (schema.toString()) {
            case "OMERO4.4__0":
                return List.of(
                        "ALTER TABLE experimenter ADD COLUMN ldap boolean NOT NULL DEFAULT false",
                        "ALTER TABLE image ADD COLUMN description text",
                        "UPDATE image SET description = 'imported before OMERO 4.4' WHERE description IS NULL",
                        table("share", "owner_id int8 NOT NULL REFERENCES experimenter (id),\n"
                                + "  active boolean NOT NULL DEFAULT true"));
            case "OMERO5.0__0":
                return List.of(
                        table("fileset", "templateprefix text NOT NULL"),
                        "ALTER TABLE image ADD COLUMN fileset_id int8 REFERENCES fileset (id)",
                        "INSERT INTO fileset (templateprefix) SELECT 'legacy/' || id FROM image ORDER BY id",
                        "UPDATE image SET fileset_id = f.id FROM fileset f WHERE f.templateprefix = 'legacy/' || image.id");
            case "OMERO5.1__0":
                return List.of("ALTER TABLE project ADD COLUMN description text");
            case "OMERO5.1__1":
                return List.of("CREATE INDEX image_fileset_index ON image (fileset_id)");
            case "OMERO5.2__0":
                return List.of(
                        "ALTER TABLE experimenter ADD COLUMN email varchar(255)",
                        "UPDATE experimenter SET email = omename || '@example.org'");
            case "OMERO5.3__0":
                return List.of(table("roi", "image_id int8 NOT NULL REFERENCES image (id),\n  name text"));
            case "OMERO5.3__1":
                return List.of("ALTER TABLE roi ADD COLUMN description text");
            case "OMERO5.4__0":
                return List.of(
                        "ALTER TABLE image ALTER COLUMN name TYPE text",
                        "ALTER TABLE dataset ADD COLUMN description text");
            default:
                return List.of();
        }
    }

    private static String table(String name, String columns) {
        return "CREATE SEQUENCE seq_" + name + ";\n"
                + "CREATE TABLE " + name + " (\n"
                + "  id int8 PRIMARY KEY DEFAULT nextval('seq_" + name + "'),\n  " + columns + ")";
    }

    private static SchemaId s(String id) {
        return SchemaId.parse(id);
    }

    private static Step step(String target, String source) {
        return new Step(s(target), s(source));
    }
}
