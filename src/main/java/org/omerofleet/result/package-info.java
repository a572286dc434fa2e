/**
 * The outcome vocabulary shared by modules, executor and reports: task results, host states and
 * counters, and the run summary (one {@link org.omerofleet.result.HostOutcome} per host, each with its
 * {@link org.omerofleet.result.StepRecord}s). Non-null by default.
 */
package org.omerofleet.result;
