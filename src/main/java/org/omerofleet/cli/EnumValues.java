package org.omerofleet.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * Convert an option's word to the enum constant whose {@code toString()} it is, as help lists them
 * ({@code ${COMPLETION-CANDIDATES}}), and refuse any other word naming those it accepts. picocli's own enum
 * conversion would also accept, and list, the constants' Java names.
 *
 * @param <E> the option's enum type
 */
abstract class EnumValues<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {

    private final Class<E> type;

    EnumValues(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(value)) {
                return constant;
            }
        }
        List<String> words = Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        throw new CommandLine.TypeConversionException("expected one of " + words + " but was '" + value + "'");
    }
}
