/**
 * The outcome vocabulary shared by modules, executor and reports. Non-null by default.
 */
package org.omerofleet.result;
