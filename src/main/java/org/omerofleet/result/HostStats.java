package org.omerofleet.result;

/**
 * Count one host's task outcomes with Ansible's recap counters, by Ansible's rules.
 */
public record HostStats(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {

    public static final HostStats EMPTY = new HostStats(0, 0, 0, 0, 0, 0, 0);

    /**
     * {@return the counters one task result adds, as {@code ansible-playbook} counts them} {@code ok} counts
     * changed tasks too. An ignored failure counts as {@code ok} and {@code ignored} (and {@code changed} when
     * it changed the host), an ignored unreachable as {@code ok} and {@code ignored}. A failure that a
     * {@code rescue} section is about to catch counts as {@code rescued}, not {@code failed}; a failure
     * inside the rescue itself counts as {@code failed}.
     *
     * @param ignored        the task had {@code ignore_errors} (or {@code ignore_unreachable}) for this status
     * @param caughtByRescue the task failed inside a block whose rescue will run
     */
    public static HostStats of(TaskResult result, boolean ignored, boolean caughtByRescue) {
        int changedOne = result.changed() ? 1 : 0;
        switch (result.status()) {
            case OK:
                return new HostStats(1, 0, 0, 0, 0, 0, 0);
            case CHANGED:
                return new HostStats(1, 1, 0, 0, 0, 0, 0);
            case SKIPPED:
                return new HostStats(0, 0, 0, 0, 1, 0, 0);
            case UNREACHABLE:
                return ignored ? new HostStats(1, 0, 0, 0, 0, 0, 1) : new HostStats(0, 0, 1, 0, 0, 0, 0);
            case FAILED:
            default:
                if (ignored) {
                    return new HostStats(1, changedOne, 0, 0, 0, 0, 1);
                }
                return caughtByRescue ? new HostStats(0, 0, 0, 0, 0, 1, 0) : new HostStats(0, 0, 0, 1, 0, 0, 0);
        }
    }

    /** {@return the sum of these counters and {@code other}} */
    public HostStats plus(HostStats other) {
        return new HostStats(ok + other.ok, changed + other.changed, unreachable + other.unreachable, failed + other.failed,
                skipped + other.skipped, rescued + other.rescued, ignored + other.ignored);
    }
}
