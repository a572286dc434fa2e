package org.omerofleet.sandbox;

/**
 * Name a database schema the way {@code dbpatch} and the {@code sql/psql} directories do.
 *
 * @param version the {@code currentVersion} column, e.g. {@code OMERO4.4}
 * @param patch the {@code currentPatch} column, e.g. {@code 0}
 */
public record SchemaId(String version, int patch) {

    /** Reject a blank version or negative patch. */
    public SchemaId {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("schema version must not be blank");
        }
        if (patch < 0) {
            throw new IllegalArgumentException("schema patch must not be negative: " + patch);
        }
    }

    /** {@return the schema id parsed from {@code OMERO4.4__0}} */
    public static SchemaId parse(String id) {
        int sep = id.lastIndexOf("__");
        if (sep <= 0) {
            throw new IllegalArgumentException("not a schema id (want e.g. OMERO4.4__0): " + id);
        }
        return new SchemaId(id.substring(0, sep), Integer.parseInt(id.substring(sep + 2)));
    }

    /** {@return the {@code version__patch} form, e.g. {@code OMERO4.4__0}} */
    @Override
    public String toString() {
        return version + "__" + patch;
    }
}
