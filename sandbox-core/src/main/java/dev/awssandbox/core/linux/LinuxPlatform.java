package dev.awssandbox.core.linux;

import java.util.Locale;

/** Where we are: checked before {@link Libc} is touched. */
public final class LinuxPlatform {
    private LinuxPlatform() {}

    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** Linux on an architecture whose system call numbers we know. */
    public static boolean isSupportedLinux() {
        return isLinux() && Arch.current().isPresent();
    }
}
