package org.omerofleet.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * One host on the way to a target: one of its jump hosts, or the target itself, with the words both
 * transports use for it in messages.
 *
 * @param host  where and how to connect to it; its known_hosts entry is its own
 * @param label names it in messages: the target, or the target and this jump host ({@code omero3: jump host bastion})
 * @param where the user, address and port it is reached at, and through which jump host
 */
public record Hop(SshTarget host, String label, String where) {

    /** {@return every jump host of {@code target} in order, then {@code target}} */
    public static List<Hop> route(SshTarget target) {
        List<Hop> route = new ArrayList<>();
        List<SshTarget> hosts = new ArrayList<>(target.jumps());
        hosts.add(target);
        for (SshTarget host : hosts) {
            String where = host.user() + "@" + host.hostname() + ":" + host.port()
                    + (route.isEmpty() ? "" : " through jump host " + route.get(route.size() - 1).host().name());
            route.add(new Hop(host, host == target ? target.name() : target.name() + ": jump host " + host.name(), where));
        }
        return route;
    }
}
