package org.omerofleet.journal;

/**
 * Halt the JVM, as {@code kill -9} would, at one record of the journal: for the crash-point tests, which
 * start a controller with the system property {@value #PROPERTY} set to {@code N:before} (just before the
 * N-th record of the process is written) or {@code N:after} (just after it is on disk). Found through
 * {@code META-INF/services} on the test class path only; without the property it does nothing.
 */
public final class CrashAtRecord implements JournalObserver {

    /** The system property naming the crash point. */
    public static final String PROPERTY = "omero.fleet.crash";

    private final long record;
    private final boolean after;

    public CrashAtRecord() {
        String crash = System.getProperty(PROPERTY, "");
        this.record = crash.isEmpty() ? -1 : Long.parseLong(crash.substring(0, crash.indexOf(':')));
        this.after = crash.endsWith(":after");
    }

    @Override
    public void beforeWrite(long n) {
        if (n == record && !after) {
            Runtime.getRuntime().halt(137);
        }
    }

    @Override
    public void afterSync(long n) {
        if (n == record && after) {
            Runtime.getRuntime().halt(137);
        }
    }
}
