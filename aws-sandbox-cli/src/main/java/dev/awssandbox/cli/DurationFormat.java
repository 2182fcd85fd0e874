package dev.awssandbox.cli;

import java.time.Duration;

/** "1.5s", "250ms", "5m": durations as people write them. */
final class DurationFormat {
    private DurationFormat() {}

    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
