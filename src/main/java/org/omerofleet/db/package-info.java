/**
 * Plain JDBC to PostgreSQL, knowing nothing of SSH: the run-history store for teams.
 */
package org.omerofleet.db;
