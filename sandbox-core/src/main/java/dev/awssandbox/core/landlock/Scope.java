package dev.awssandbox.core.landlock;

import java.util.Locale;

/**
 * Landlock IPC scopes ({@code LANDLOCK_SCOPE_*}), ABI 6 and later: a scoped process cannot
 * signal, or connect to abstract unix sockets of, processes outside its own Landlock domain.
 */
public enum Scope {
    ABSTRACT_UNIX_SOCKET(0),
    SIGNAL(1);

    public static final int ABI = 6;

    private final int bit;

    Scope(int bit) {
        this.bit = bit;
    }

    public long mask() {
        return 1L << bit;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
