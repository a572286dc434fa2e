/**
 * The engine: serial batches, forks, the linear strategy with block/rescue/always, handlers, failure
 * thresholds, check mode, and the one place exceptions become task results. Non-null by default.
 */
package org.omerofleet.executor;
