package dev.awssandbox.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How hard the sandbox insists (environment variable {@code AWS_MCP_SANDBOX}). */
public enum SandboxMode {
    /** Use the strongest backend available; fall back to none, loudly. */
    AUTO,
    /** Run without isolation, and say so. */
    DISABLED,
    /** Fail rather than run with less isolation than the policy asks for. */
    REQUIRED;

    public static final String ENV_VAR = "AWS_MCP_SANDBOX";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "auto", "disabled" or "required" (any case); {@code source} names where it came from. */
    public static SandboxMode parse(String value, String source) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (SandboxMode mode : values()) {
            if (mode.label().equals(v)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("invalid " + source + " value '" + value + "': expected one of "
                + Arrays.stream(values()).map(SandboxMode::label).collect(Collectors.joining(", ")));
    }
}
