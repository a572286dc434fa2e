/**
 * Plain JDBC to PostgreSQL, knowing nothing of SSH (a caller that needs a tunnel opens it and passes its
 * local end): the run-history store for teams, and the reader of an OMERO database's {@code dbpatch}.
 */
package org.omerofleet.db;
