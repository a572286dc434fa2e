/**
 * The sandbox's simulator layer: a throwaway PostgreSQL cluster, synthetic OMERO.server release zips
 * and installed OMERO hosts whose {@code bin/omero} is a POSIX shell stand-in.
 *
 * <p>Self-contained: depends on the JDK, the PostgreSQL JDBC driver and commons-compress only.
 * Everything is non-null by default.
 */
package org.omerofleet.sandbox;
