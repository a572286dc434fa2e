/**
 * The picocli commands and the composition root. Parse, call, print; no logic. Non-null by default.
 */
package org.omerofleet.cli;
