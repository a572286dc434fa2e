package org.omerofleet.input;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Report that an inventory, playbook or option is invalid; nothing was touched.
 */
public class InvalidInputException extends Exception {

    private final List<InputError> errors;

    public InvalidInputException(List<InputError> errors) {
        super(errors.stream().map(InputError::format).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid-input report needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(InputError error) {
        this(List.of(error));
    }

    public List<InputError> errors() {
        return errors;
    }
}
