package dev.awssandbox.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the AWS CLI may take credentials from inside the sandbox (environment variable
 * {@code AWS_MCP_SANDBOX_CREDENTIALS}).
 */
public enum CredentialMode {
    /** Secret AWS environment variables are passed; {@code ~/.aws} is not readable. */
    ENV(true, false),
    /** {@code ~/.aws} and the configured credential files are readable; secret variables are dropped. */
    AWS_CONFIG(false, true),
    /** Both (the default). */
    BOTH(true, true),
    /** Neither: the command runs without credentials. */
    NONE(false, false);

    public static final String ENV_VAR = "AWS_MCP_SANDBOX_CREDENTIALS";

    private final boolean passAwsEnv;
    private final boolean allowAwsConfig;

    CredentialMode(boolean passAwsEnv, boolean allowAwsConfig) {
        this.passAwsEnv = passAwsEnv;
        this.allowAwsConfig = allowAwsConfig;
    }

    public boolean passAwsEnv() {
        return passAwsEnv;
    }

    public boolean allowAwsConfig() {
        return allowAwsConfig;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "env", "aws_config", "both" or "none" (any case); {@code source} names where it came from. */
    public static CredentialMode parse(String value, String source) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (CredentialMode mode : values()) {
            if (mode.label().equals(v)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("invalid " + source + " value '" + value + "': expected one of "
                + Arrays.stream(values()).map(CredentialMode::label).collect(Collectors.joining(", ")));
    }
}
