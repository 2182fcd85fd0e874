package dev.awssandbox.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reading the words that name the constants of the settings enums ({@link Sandbox.Mode},
 * {@link SandboxPolicy.Network}, {@link SandboxPolicy.Credentials}): one rule and one error
 * message for every setting a user writes.
 */
final class Labels {
    private Labels() {}

    /**
     * The constant whose label is {@code value} (any case, blanks around it ignored); an error that
     * names {@code source} (where the value came from) and every label otherwise.
     */
    static <E extends Enum<E>> E parse(E[] constants, Function<E, String> label, String value, String source) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (E constant : constants) {
            if (label.apply(constant).equals(v)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("invalid " + source + " value '" + value + "': expected one of "
                + Arrays.stream(constants).map(label).collect(Collectors.joining(", ")));
    }
}
