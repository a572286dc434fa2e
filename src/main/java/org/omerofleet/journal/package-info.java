/**
 * The run journal: an append-only file of checksummed records, each fsynced before the step it
 * announces and after the step it records, read back record by record up to the first torn or damaged
 * one (reliability.md INV-5, CTL-02). It knows nothing of playbooks or hosts. Depends on the JDK and
 * Jackson only. Non-null by default.
 */
package org.omerofleet.journal;
