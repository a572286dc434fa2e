/**
 * Safe, positioned YAML reading and the input-error vocabulary (file:line:column plus a hint) shared
 * by the inventory and playbook loaders. Depends on nothing else in the project. Non-null by default.
 */
package org.omerofleet.yaml;
