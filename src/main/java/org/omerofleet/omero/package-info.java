/**
 * The OMERO domain, pure and unit-tested: release and schema versions, the chaining of
 * {@code sql/psql} upgrade scripts as omego resolves it, the 4.x and 5.x install layouts, and the
 * per-host upgrade plan. Uses only the JDK: no I/O, no SSH, no JDBC; callers gather the facts and
 * act on the plan. Non-null by default; absent values are {@link java.util.Optional}.
 */
package org.omerofleet.omero;
