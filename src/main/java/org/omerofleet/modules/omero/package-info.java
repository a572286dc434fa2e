/**
 * The OMERO and PostgreSQL task modules. The safety rules of an upgrade live here, not in the
 * playbooks, so an edited playbook keeps them: stop before dump, verified backups, chained and
 * postcondition-checked database upgrades, restores into a new database, long steps detached.
 */
package org.omerofleet.modules.omero;
