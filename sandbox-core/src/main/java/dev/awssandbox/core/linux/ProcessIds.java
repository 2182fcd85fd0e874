package dev.awssandbox.core.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's effective uid and gid, read once ({@code -1} where they cannot be read): a JVM
 * does not change them, and several steps ask (whether to count processes as root, the watchdog's
 * user, mode hosts' outer sandbox).
 */
public record ProcessIds(int uid, int gid) {
    /** This process's. */
    public static ProcessIds current() {
        return Holder.CURRENT;
    }

    public boolean root() {
        return uid == 0;
    }

    private static final class Holder {
        static final ProcessIds CURRENT = read();

        private static ProcessIds read() {
            try {
                Path self = Path.of("/proc/self"); // owned by the effective ids
                return new ProcessIds((Integer) Files.getAttribute(self, "unix:uid"), (Integer) Files.getAttribute(self, "unix:gid"));
            } catch (IOException | UnsupportedOperationException e) {
                return new ProcessIds(-1, -1);
            }
        }
    }
}
