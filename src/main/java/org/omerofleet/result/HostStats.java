package org.omerofleet.result;

/**
 * Count one host's task outcomes with Ansible's recap counters.
 */
public record HostStats(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {

    public static final HostStats EMPTY = new HostStats(0, 0, 0, 0, 0, 0, 0);

    /** {@return these counters plus one task with the given status} {@code ok} counts changed tasks too, as Ansible does. */
    public HostStats plus(TaskResult.Status status) {
        switch (status) {
            case OK:
                return new HostStats(ok + 1, changed, unreachable, failed, skipped, rescued, ignored);
            case CHANGED:
                return new HostStats(ok + 1, changed + 1, unreachable, failed, skipped, rescued, ignored);
            case SKIPPED:
                return new HostStats(ok, changed, unreachable, failed, skipped + 1, rescued, ignored);
            case FAILED:
                return new HostStats(ok, changed, unreachable, failed + 1, skipped, rescued, ignored);
            case UNREACHABLE:
                return new HostStats(ok, changed, unreachable + 1, failed, skipped, rescued, ignored);
            default:
                throw new IllegalArgumentException("unknown status " + status);
        }
    }

    public HostStats plusRescued() {
        return new HostStats(ok, changed, unreachable, failed, skipped, rescued + 1, ignored);
    }

    public HostStats plusIgnored() {
        return new HostStats(ok, changed, unreachable, failed, skipped, rescued, ignored + 1);
    }
}
