/**
 * The SSH seam: {@link org.omerofleet.transport.Connection} and its factory, host-key policy, quoting.
 * Implementations live in subpackages; only {@code cli} names them. Non-null by default.
 */
package org.omerofleet.transport;
