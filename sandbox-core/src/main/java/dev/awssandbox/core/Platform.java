package dev.awssandbox.core;

import java.util.Locale;

/** The operating systems whose defaults differ. */
public enum Platform {
    LINUX,
    MACOS,
    OTHER;

    public static Platform current() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return LINUX;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return MACOS;
        }
        return OTHER;
    }
}
