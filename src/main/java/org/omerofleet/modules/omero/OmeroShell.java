package org.omerofleet.modules.omero;

import org.omerofleet.transport.ShellQuote;

/**
 * Shell fragments shared by the OMERO modules. Database settings are read on the host from the
 * server's own {@code etc/grid/config.xml} (through {@code bin/omero config get}, as omego does) into
 * PostgreSQL's environment variables: the password never reaches a command line, and it reaches the
 * controller only for the report's JDBC login through the SSH tunnel ({@link OmeroFacts}), over the
 * encrypted session, to be held in memory and written nowhere.
 */
final class OmeroShell {

    /** Exit status of a fragment when the OMERO.server directory is missing. */
    static final int NO_SERVER_DIR = 90;
    /** Exit status of a fragment when config.xml names no database. */
    static final int NO_DB_NAME = 91;

    /** Read the active profile of the server in the current directory, {@code name=value} lines with passwords shown, into {@code $conf}. */
    static final String CONFIG_GET = "conf=$(bin/omero config get --show-password 2>/dev/null) || conf=$(bin/omero config get 2>/dev/null); ";

    /** {@link #DB_ENV} after {@link #CONFIG_GET}: for a fragment that uses {@code $conf} itself first. */
    static final String DB_ENV_FROM_CONF = "val() { printf '%s\\n' \"$conf\" | sed -n \"s/^$1=//p\" | tail -n 1; }; "
            + "PGHOST=$(val omero.db.host); PGPORT=$(val omero.db.port); PGDATABASE=$(val omero.db.name); "
            + "PGUSER=$(val omero.db.user); PGPASSWORD=$(val omero.db.pass); "
            + ": \"${PGHOST:=localhost}\" \"${PGPORT:=5432}\" \"${PGUSER:=omero}\"; "
            + "if [ -z \"$PGDATABASE\" ]; then echo 'omero.db.name is not set in etc/grid/config.xml' >&2; exit " + NO_DB_NAME + "; fi; "
            + "export PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD; unset conf; ";

    /**
     * Export PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD from the server in the current
     * directory. {@code --show-password} is tried first; servers before 5.4.1 lack the flag.
     */
    static final String DB_ENV = CONFIG_GET + DB_ENV_FROM_CONF;

    /** psql that never prompts, stops at the first error, and prints bare values. */
    static final String PSQL = "psql -X -w -v ON_ERROR_STOP=1 -A -t";

    private OmeroShell() {
    }

    /**
     * {@return a fragment entering {@code serverDir}, or exiting 90 with a message} It also exports
     * {@code OMERODIR} as that directory: OMERO 5.6's CLI refuses {@code admin}, {@code config} and
     * {@code db} without it ({@code ERROR: OMERODIR not set}), and it must name the server being worked on.
     */
    static String cd(String serverDir) {
        String q = ShellQuote.quote(serverDir);
        return "cd -- " + q + " 2>/dev/null || { echo \"no OMERO.server directory at \"" + q + " >&2; exit " + NO_SERVER_DIR + "; }; "
                + "OMERODIR=$(pwd); export OMERODIR; ";
    }

    static String q(String value) {
        return ShellQuote.quote(value);
    }
}
