/**
 * Run listeners that render or collect results: the console with PLAY RECAP, the run directory with
 * report.json, junit.xml and per-host logs. Uses {@code executor}, {@code result}, {@code inventory}; never
 * {@code transport}. Non-null by default.
 */
package org.omerofleet.report;
