package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's settings, from the reference server's environment variables and a few of our own
 * (what the model may do to the AWS account is the policy's: {@link dev.awssandbox.mcp.policy.PolicyConfig}).
 *
 * @param defaultTimeout      {@code AWS_MCP_TIMEOUT} seconds (300 by default)
 * @param maxTimeout          the most a call may ask for with its {@code timeout} argument
 * @param maxOutput           {@code AWS_MCP_MAX_OUTPUT}: characters of text returned (100000)
 * @param region              {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}: added to commands without --region
 * @param maxConcurrentCalls  {@code AWS_MCP_MAX_CONCURRENT_CALLS}: calls running commands at once, over all
 *                            clients (64); more get a "busy, retry" error at once
 * @param maxSessions         {@code AWS_MCP_MAX_SESSIONS}: MCP sessions the HTTP transport holds at once (256)
 * @param sessionIdleTimeout  {@code AWS_MCP_SESSION_IDLE_TIMEOUT} seconds: an HTTP session unused this long ends (1800)
 */
public record McpSettings(Duration defaultTimeout, Duration maxTimeout, int maxOutput, Optional<String> region,
                          int maxConcurrentCalls, int maxSessions, Duration sessionIdleTimeout) {

    public static McpSettings fromEnvironment(HostEnvironment host) {
        Duration timeout = Duration.ofSeconds(positive(host, "AWS_MCP_TIMEOUT", 300));
        int maxOutput = (int) positive(host, "AWS_MCP_MAX_OUTPUT", 100_000);
        int maxCalls = (int) positive(host, "AWS_MCP_MAX_CONCURRENT_CALLS", 64);
        int maxSessions = (int) positive(host, "AWS_MCP_MAX_SESSIONS", 256);
        Duration idle = Duration.ofSeconds(positive(host, "AWS_MCP_SESSION_IDLE_TIMEOUT", 1800));
        Optional<String> region = host.get("AWS_REGION").or(() -> host.get("AWS_DEFAULT_REGION"));
        return new McpSettings(timeout, timeout.multipliedBy(4).compareTo(Duration.ofMinutes(30)) > 0
                ? timeout.multipliedBy(4) : Duration.ofMinutes(30), maxOutput, region, maxCalls, maxSessions, idle);
    }

    private static long positive(HostEnvironment host, String name, long fallback) {
        Optional<String> value = host.get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.get().trim());
            if (n > 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("invalid " + name + " value '" + value.get() + "': expected a positive integer");
    }
}
