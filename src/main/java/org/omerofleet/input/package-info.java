/**
 * The input-error vocabulary: a position in a user's file ({@code file:line:column}), an error at it
 * with a hint ("did you mean ..."), the exception that carries them (exit 5, nothing touched), and the
 * one bounded reader of user-supplied files. Depends on nothing else in the project. Non-null by default.
 */
package org.omerofleet.input;
