package dev.awssandbox.mcp.policy;

import java.util.regex.Pattern;

/** Region names as botocore accepts them: letters, digits and dashes (so a region can never change an endpoint's host). */
final class Regions {
    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private Regions() {}

    static boolean valid(String region) {
        return NAME.matcher(region).matches();
    }
}
