/**
 * Hosts, groups and variables from Ansible YAML and INI inventories with {@code group_vars/} and
 * {@code host_vars/}; host patterns and {@code --limit}. Uses only {@code yaml}. Non-null by default.
 */
package org.omerofleet.inventory;
