package org.omerofleet.journal;

/**
 * Watch a journal's records cross the line to disk: called just before the n-th record of this process
 * is written and just after it is synced. Implementations are found with {@link java.util.ServiceLoader};
 * the product ships none. They run on the appending thread, inside the journal's ordering, and must be quick.
 */
public interface JournalObserver {

    /** Called before the {@code record}-th record of this process (counting from 1) is written. */
    default void beforeWrite(long record) {
    }

    /** Called once the {@code record}-th record of this process is on disk. */
    default void afterSync(long record) {
    }
}
