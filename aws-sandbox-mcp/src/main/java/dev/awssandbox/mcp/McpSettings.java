package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The server's settings, from the reference server's environment variables.
 *
 * @param defaultTimeout {@code AWS_MCP_TIMEOUT} seconds (300 by default)
 * @param maxTimeout     the most a call may ask for with its {@code timeout} argument
 * @param maxOutput      {@code AWS_MCP_MAX_OUTPUT}: characters of text returned (100000)
 * @param region         {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}: added to commands without --region
 * @param filters        programs allowed after the first pipe (they run with the network off)
 * @param maxConcurrentCalls {@code AWS_MCP_MAX_CONCURRENT_CALLS}: calls running commands at once, over all
 *                       clients (64); more get a "busy, retry" error at once
 */
public record McpSettings(Duration defaultTimeout, Duration maxTimeout, int maxOutput, Optional<String> region,
                          Set<String> filters, int maxConcurrentCalls) {

    /** Text filters: no shell, interpreter, awk (system()), sed (e, w), xargs, env or tee. */
    public static final Set<String> DEFAULT_FILTERS =
            Set.of("jq", "grep", "head", "tail", "sort", "uniq", "wc", "cut", "tr", "column");

    public McpSettings {
        filters = Set.copyOf(filters);
    }

    public static McpSettings fromEnvironment(HostEnvironment host) {
        Duration timeout = Duration.ofSeconds(positive(host, "AWS_MCP_TIMEOUT", 300));
        int maxOutput = (int) positive(host, "AWS_MCP_MAX_OUTPUT", 100_000);
        int maxCalls = (int) positive(host, "AWS_MCP_MAX_CONCURRENT_CALLS", 64);
        Optional<String> region = host.get("AWS_REGION").or(() -> host.get("AWS_DEFAULT_REGION"));
        return new McpSettings(timeout, timeout.multipliedBy(4).compareTo(Duration.ofMinutes(30)) > 0
                ? timeout.multipliedBy(4) : Duration.ofMinutes(30), maxOutput, region, DEFAULT_FILTERS, maxCalls);
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
