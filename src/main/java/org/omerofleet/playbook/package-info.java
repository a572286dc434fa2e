/**
 * The immutable model of plays, blocks, tasks and handlers; strict YAML loading with
 * file:line:column errors; Jinja templating through Jinjava. Knows which modules exist only through
 * {@link org.omerofleet.playbook.ModuleCatalog}. Uses {@code yaml} and {@code inventory}. Non-null by default.
 */
package org.omerofleet.playbook;
