package org.omerofleet.executor;

import java.util.Map;
import org.omerofleet.transport.SshTarget;

/**
 * Turn a host's variables ({@code ansible_host}, {@code ansible_port}, {@code ansible_user}...) into
 * where and how to connect.
 */
@FunctionalInterface
public interface TargetResolver {

    SshTarget resolve(String host, Map<String, Object> vars);
}
