package dev.awssandbox.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * picocli converters for the CLI's typed values other than durations ({@link DurationConverter})
 * and words ({@link Choice}): a wrong value is a usage error that says what is expected.
 */
final class Converters {
    private Converters() {}

    /** Bytes, or a size such as {@code 100K}, {@code 512M}, {@code 4G} (powers of 1024; {@code KiB}, {@code MB} also read). */
    static final class Size implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([KMGT]?)i?B?", Pattern.CASE_INSENSITIVE);

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "': expected bytes or a size such as 100K,"
                        + " 512M, 4G");
            }
            int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                case "T" -> 40;
                default -> 0;
            };
            long amount = Long.parseLong(m.group(1));
            if (amount > Long.MAX_VALUE >> shift) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            return amount << shift;
        }
    }

    /** A TCP port, 0 to 65535 (0: any free one). */
    static final class Port implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new CommandLine.TypeConversionException("'" + value + "': expected a port number from 0 to 65535"
                    + " (0 picks a free one)");
        }
    }

    /** An environment variable's name: letters, digits and {@code _}, not starting with a digit. */
    static final class EnvironmentName implements CommandLine.ITypeConverter<String> {
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        @Override
        public String convert(String value) {
            if (!NAME.matcher(value).matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an environment variable name"
                        + " (letters, digits and _, not starting with a digit; give the name only, never a value)");
            }
            return value;
        }
    }

    /** An address to listen on: an IP address, or a name this machine resolves (kept as written). */
    static final class HostName implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                InetAddress.getByName(value);
                return value;
            } catch (UnknownHostException e) {
                throw new CommandLine.TypeConversionException("cannot resolve '" + value + "': give an IP address"
                        + " (127.0.0.1, ::1) or a name this machine resolves");
            }
        }
    }
}
