/**
 * Safe, positioned YAML reading shared by the inventory and playbook loaders; its errors are the
 * {@code input} package's. Non-null by default.
 */
package org.omerofleet.yaml;
