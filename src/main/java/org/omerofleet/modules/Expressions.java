package org.omerofleet.modules;

/**
 * Evaluate Jinja expressions against the current host's variables.
 */
public interface Expressions {

    /** {@return the value of a bare expression, e.g. {@code result.rc + 1}} */
    Object evaluate(String expression);

    /** {@return whether a condition such as {@code result.rc == 0} holds} */
    boolean test(String condition);

    /**
     * {@return a template file's text rendered with the host's variables, as Ansible's {@code template}
     * module does (text, trailing newlines kept)}, with {@code extraVars} added
     * (Ansible's {@code template_path}, {@code ansible_managed}...)
     *
     * @throws IllegalArgumentException when the template does not render (an undefined variable, a syntax error)
     */
    default String renderFile(String text, java.util.Map<String, Object> extraVars, boolean trimBlocks, boolean lstripBlocks) {
        throw new UnsupportedOperationException("this context renders no template files");
    }
}
