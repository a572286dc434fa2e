package org.omerofleet.playbook;

/**
 * Report that a template or condition could not be rendered (an undefined variable, a syntax error).
 */
public class TemplateException extends Exception {

    public TemplateException(String message) {
        super(message);
    }
}
