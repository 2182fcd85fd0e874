package dev.awssandbox.mcp.policy;

import java.util.Collection;
import java.util.List;

/**
 * {@code service:operation} globs on the AWS CLI's names ({@code iam:*}, {@code s3api:delete-*},
 * {@code s3:rb}): {@code *} matches any run of characters, {@code ?} one; the whole name must match.
 */
final class Patterns {
    private Patterns() {}

    static boolean valid(String pattern) {
        int colon = pattern.indexOf(':');
        return colon > 0 && colon == pattern.lastIndexOf(':') && colon < pattern.length() - 1
                && pattern.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_.:*?".indexOf(c) >= 0);
    }

    /** The first pattern that matches any of the names, if any. */
    static java.util.Optional<String> firstMatch(Collection<String> patterns, List<String> names) {
        for (String p : patterns) {
            for (String n : names) {
                if (matches(p, n)) {
                    return java.util.Optional.of(p);
                }
            }
        }
        return java.util.Optional.empty();
    }

    static boolean matches(String pattern, String name) {
        return matches(pattern, 0, name, 0);
    }

    private static boolean matches(String p, int i, String n, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= n.length(); k++) {
                    if (matches(p, i + 1, n, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (j >= n.length() || (c != '?' && c != n.charAt(j))) {
                return false;
            }
            i++;
            j++;
        }
        return j == n.length();
    }
}
