/**
 * The JSch adapter (the maintained {@code com.github.mwiede:jsch} fork) behind the {@code transport} seam.
 * Every setting is made per session, never through JSch's global configuration. Non-null by default.
 */
package org.omerofleet.transport.jsch;
