/**
 * The benchmark harness behind {@code omero-fleet bench}: starts local SSH hosts (sandbox or OpenSSH
 * sshd), times the controller as a fresh JVM against the plain OpenSSH floor, and reads back the
 * controller's own figures ({@link org.omerofleet.bench.ControllerStats}). Uses {@code sandbox} and
 * {@code inventory}. Non-null by default.
 */
package org.omerofleet.bench;
