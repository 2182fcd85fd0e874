package dev.awssandbox.core;

import java.util.Locale;

/** The isolation mechanisms aws-sandbox knows. */
public enum BackendKind {
    /** Linux Landlock, applied through FFM on the spawning thread. */
    LANDLOCK,
    /** Linux namespaces through bubblewrap ({@code bwrap}): the fallback where Landlock is missing. */
    BUBBLEWRAP,
    /** macOS Seatbelt through {@code /usr/bin/sandbox-exec} and a generated SBPL profile. */
    SEATBELT,
    /** No isolation: only the environment allow-list applies. */
    NONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
