package org.omerofleet.sandbox;

/**
 * Describe one simulated OMERO.server release: its version, Ice flavour, build and database schema.
 *
 * @param version the release, e.g. {@code 4.4.1}
 * @param ice the Ice tag in the bundle name, e.g. {@code ice34}
 * @param build the build number, e.g. {@code 3035}
 * @param schema the database schema the release expects, e.g. {@code OMERO4.4__0}
 */
public record OmeroRelease(String version, String ice, int build, SchemaId schema) {

    /** Reject blank fields and non-positive builds. */
    public OmeroRelease {
        if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("release version must look like 4.4.1: " + version);
        }
        if (ice == null || !ice.matches("ice\\d+")) {
            throw new IllegalArgumentException("ice tag must look like ice34: " + ice);
        }
        if (build <= 0) {
            throw new IllegalArgumentException("build must be positive: " + build);
        }
        if (schema == null) {
            throw new IllegalArgumentException("schema must not be null");
        }
    }

    /** {@return what {@code bin/omero version} prints, e.g. {@code 4.4.1-ice34-b3035}} */
    public String fullVersion() {
        return version + "-" + ice + "-b" + build;
    }

    /** {@return the zip's single top-level folder, e.g. {@code OMERO.server-4.4.1-ice34-b3035}} */
    public String bundleName() {
        return "OMERO.server-" + fullVersion();
    }

    /** {@return the zip file name, e.g. {@code OMERO.server-4.4.1-ice34-b3035.zip}} */
    public String zipName() {
        return bundleName() + ".zip";
    }

    /** {@return the Ice release a host runs for this build, e.g. {@code 3.4.2} for ice34 (what its {@code icegridnode --version} prints)} */
    public String iceVersion() {
        return switch (ice) {
            case "ice33" -> "3.3.1";
            case "ice34" -> "3.4.2";
            case "ice35" -> "3.5.1";
            default -> ice.charAt(3) + "." + ice.substring(4) + ".5";
        };
    }

    /** {@return the major.minor series, e.g. {@code 4.4}} */
    public String series() {
        return version.substring(0, version.lastIndexOf('.'));
    }

    /** {@return whether OMERO.web is mounted under {@code /omero} (4.4 on) rather than at {@code /}} */
    public boolean webUnderOmeroPrefix() {
        return !series().matches("[0-3]\\..*|4\\.[0-3]");
    }
}
