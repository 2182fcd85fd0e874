package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directories a {@code ..} in a path the host's environment names walks back out of
 * ({@code AWS_CONFIG_FILE=/w/b/../../T}: {@code /w/b} and {@code /w}). The planner reads such a
 * path textually ({@code /T}); the kernel goes up from wherever {@code b} leads, and a command
 * that can write {@code /w} can replace {@code b} with a link first, so that the host's own aws
 * or git reads a file the command wrote (red team, round 34, F1). Each such directory is kept
 * whole, and so is where the path leads today, the kernel's way.
 *
 * <p>Every variable counts, not a list of the ones known to name files (the AWS, git and XDG ones
 * were found; a program outside the sandbox may read any other): a value, and each of its
 * {@code :}-separated parts, with a {@code ..} component. A relative one is taken against the
 * working directory, {@code ~} and {@code $NAME} expanded as botocore expands them; both the
 * expanded and the written reading count.
 */
final class EnvironmentWalkBacks {
    private EnvironmentWalkBacks() {}

    /** A {@code ..} as a whole path component. */
    private static final Pattern DOT_DOT = Pattern.compile("(^|/)\\.\\.(/|$)");

    /**
     * One directory to keep.
     *
     * @param directory where the walk passes, lexically (no {@code ..} in it)
     * @param variable  the variable whose value names the path
     * @param path      the path as written, expanded
     */
    record WalkBack(Path directory, String variable, String path) {}

    /** The walks of {@code host}'s variables, in the order of their names. */
    static List<WalkBack> of(Host host) {
        List<WalkBack> out = new ArrayList<>();
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(host.variables()).entrySet()) {
            String value = variable.getValue();
            if (value == null || !value.contains("..")) {
                continue; // almost every variable: nothing to read
            }
            Set<String> parts = new LinkedHashSet<>();
            parts.add(value);
            parts.addAll(List.of(value.split(":")));
            for (String part : parts) {
                if (!DOT_DOT.matcher(part).find()) {
                    continue;
                }
                for (String reading : AwsEnvironment.botocoreExpansions(host, part)) {
                    Path raw = host.workingDirectory().resolve(reading); // not normalised: the ".." is the point
                    for (Path directory : GitConfig.walkedBack(raw)) {
                        out.add(new WalkBack(directory, variable.getKey(), raw.toString()));
                    }
                }
            }
        }
        return out;
    }
}
