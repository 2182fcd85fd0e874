package dev.awssandbox.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses "90", "90s", "1500ms", "5m", "1h" and ISO-8601 ("PT30S"); plain numbers are seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    /**
     * The longest duration taken: ten years. A deadline is counted in nanoseconds from now, which overflows past ~292
     * years (outside attack RT8-S1: {@code --timeout 99999999999999999999} failed as "unexpected failure: long overflow").
     */
    static final Duration LONGEST = Duration.ofDays(3650);

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value.trim());
        if (duration.isZero() || duration.isNegative()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is longer than the longest duration taken,"
                    + " ten years (87600h)");
        }
        return duration;
    }

    static Duration parse(String value) {
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration: use e.g. 30s, 1500ms, 5m, 1h or PT30S");
        }
    }
}
