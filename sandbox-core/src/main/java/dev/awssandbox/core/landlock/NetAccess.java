package dev.awssandbox.core.landlock;

import java.util.Locale;

/** Landlock network access rights ({@code LANDLOCK_ACCESS_NET_*}), ABI 4 and later. */
public enum NetAccess {
    BIND_TCP(0),
    CONNECT_TCP(1);

    public static final int ABI = 4;

    private final int bit;

    NetAccess(int bit) {
        this.bit = bit;
    }

    public long mask() {
        return 1L << bit;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
