package org.omerofleet.modules;

/**
 * Evaluate Jinja expressions against the current host's variables.
 */
public interface Expressions {

    /** {@return the value of a bare expression, e.g. {@code result.rc + 1}} */
    Object evaluate(String expression);

    /** {@return whether a condition such as {@code result.rc == 0} holds} */
    boolean test(String condition);
}
