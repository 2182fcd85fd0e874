package dev.awssandbox.core.linux;

import java.util.Locale;
import java.util.Optional;

/**
 * The CPU architectures we make raw system calls on; the numbers of those calls are
 * {@link SystemCall}'s.
 */
public enum Arch {
    X86_64,
    AARCH64;

    /** The architecture of this JVM, if it is one we support. */
    public static Optional<Arch> current() {
        return fromOsArch(System.getProperty("os.arch", ""));
    }

    static Optional<Arch> fromOsArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> Optional.of(X86_64);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            default -> Optional.empty();
        };
    }
}
