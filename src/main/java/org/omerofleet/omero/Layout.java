package org.omerofleet.omero;

import java.util.List;
import java.util.Optional;

/**
 * Describe how an OMERO.server install is laid out and run, which differs between 4.x and 5.x.
 *
 * <p>Both keep the config in {@code etc/grid/config.xml}, ship {@code sql/psql/} upgrade scripts and
 * have {@code lib/scripts} to merge by hand; those are not modelled here.
 */
public enum Layout {

    /**
     * OMERO 4.x: OMERO.web is bundled ({@code bin/omero web stop} before {@code admin stop}); the old
     * directory is moved aside and the release unzipped next to it; PATH and PYTHONPATH must point at
     * the new directory; the optimise step is {@code REINDEX … FORCE} plus {@code VACUUM FULL}.
     */
    V4(true, false, new Environment(List.of("PATH", "PYTHONPATH"), Optional.empty(), List.of()), true),

    /**
     * OMERO 5.x: OMERO.web is a separate service; the release sits behind an {@code OMERO.server}
     * symlink that is switched; {@code OMERODIR} must point at the server directory and
     * {@code OMERO_HOME} must be unset; the optimise step is {@code VACUUM FULL} only.
     */
    V5(false, true, new Environment(List.of("PATH", "OMERODIR"), Optional.of("OMERODIR"), List.of("OMERO_HOME")), false);

    /**
     * What the CLI's environment must say of the install.
     *
     * @param pointing          the variables that must name the new install after an upgrade
     * @param serverDirVariable the variable the CLI reads the server directory from, if any
     * @param unset             the variables that must not be set when running the CLI
     */
    private record Environment(List<String> pointing, Optional<String> serverDirVariable, List<String> unset) {
    }

    private final boolean bundlesWeb;
    private final boolean symlinked;
    private final List<String> environmentVariables;
    private final Optional<String> serverDirVariable;
    private final List<String> variablesToUnset;
    private final boolean reindexBeforeVacuum;

    Layout(boolean bundlesWeb, boolean symlinked, Environment environment, boolean reindexBeforeVacuum) {
        this.bundlesWeb = bundlesWeb;
        this.symlinked = symlinked;
        this.environmentVariables = environment.pointing();
        this.serverDirVariable = environment.serverDirVariable();
        this.variablesToUnset = environment.unset();
        this.reindexBeforeVacuum = reindexBeforeVacuum;
    }

    /** {@return true if OMERO.web ships inside the server and is stopped and started with {@code bin/omero web}} */
    public boolean bundlesWeb() {
        return bundlesWeb;
    }

    /** {@return true if the live install is reached through an {@code OMERO.server} symlink that an upgrade switches} */
    public boolean symlinked() {
        return symlinked;
    }

    /** {@return the environment variables that must name the new install after an upgrade} */
    public List<String> environmentVariables() {
        return environmentVariables;
    }

    /** {@return the variable the CLI reads the server directory from, if any ({@code OMERODIR} on 5.x)} */
    public Optional<String> serverDirVariable() {
        return serverDirVariable;
    }

    /** {@return the variables that must not be set when running the CLI ({@code OMERO_HOME} on 5.x)} */
    public List<String> variablesToUnset() {
        return variablesToUnset;
    }

    /**
     * {@return true if the documented optimise step reindexes before {@code VACUUM FULL}} The 4.x
     * {@code REINDEX DATABASE … FORCE} form is a syntax error on PostgreSQL 9.5 and later.
     */
    public boolean reindexBeforeVacuum() {
        return reindexBeforeVacuum;
    }
}
