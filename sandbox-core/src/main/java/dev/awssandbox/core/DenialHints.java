package dev.awssandbox.core;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.SensitiveLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a failed command's stderr for the marks of a sandbox denial (EACCES/EPERM on a path
 * outside the policy, a refused connection with the network off) and says, in one line each,
 * which option would allow it. Only paths and option names appear in a hint, never values.
 */
final class DenialHints {
    /**
     * An absolute path, as tools quote it ('…', "…", ‘…’) or leave it bare — starting a word: the
     * tail of a relative path ("cannot create tools/find-jdk.sh") is no path of its own.
     */
    private static final Pattern PATH = Pattern.compile("(?:^|(?<=[\\s'\"‘`(=]))(/[^\\s'\"’`:,)]+)");
    private static final Pattern DENIED = Pattern.compile("Permission denied|Operation not permitted");
    private static final Pattern NETWORK = Pattern.compile(
            "Could not connect to the endpoint URL|/dev/(?:tcp|udp)/|Network is unreachable|connect: Permission denied"
                    + "|PermissionError: \\[Errno 1\\]");

    private DenialHints() {}

    static List<String> hints(List<StageResult> stages, List<String> stderr, List<AccessPlan> plans, Path home) {
        Set<String> hints = new LinkedHashSet<>();
        for (int i = 0; i < stages.size(); i++) {
            StageResult stage = stages.get(i);
            if (!stage.failed()) {
                continue;
            }
            AccessPlan plan = plans.get(i);
            for (String line : stderr.get(i).lines().toList()) {
                if (!plan.allowNetwork() && NETWORK.matcher(line).find()) {
                    hints.add(stage.command().getFirst() + " was refused a connection: the network is off for it"
                            + " (--no-network, or a per-stage policy); run it with the network on to allow it");
                    continue;
                }
                Matcher denied = DENIED.matcher(line);
                if (!denied.find()) {
                    continue;
                }
                // the path nearest the denial is the one denied ("prog: PATH: Permission denied",
                // "Permission denied: 'PATH'"); others on the line are context
                Matcher m = PATH.matcher(line);
                String nearest = null;
                int best = Integer.MAX_VALUE;
                while (m.find()) {
                    int distance = m.end() <= denied.start() ? denied.start() - m.end() : m.start() - denied.end();
                    if (distance >= 0 && distance < best) {
                        best = distance;
                        nearest = m.group(1);
                    }
                }
                if (nearest != null) {
                    pathHint(Path.of(nearest).normalize(), plan, home).ifPresent(hints::add);
                }
            }
        }
        return List.copyOf(hints);
    }

    private static java.util.Optional<String> pathHint(Path path, AccessPlan plan, Path home) {
        if (path.startsWith("/dev/tcp") || path.startsWith("/dev/udp") || path.startsWith("/proc")) {
            return java.util.Optional.empty();
        }
        Path real = realOrSelf(path);
        // The command writes its own stderr: a fake "cat: ~/.ssh/id_ed25519: Permission denied" made
        // the hint suggest --ro ~/.ssh (found in review). Keys, credentials and /etc are never named.
        SensitiveLocations sensitive = SensitiveLocations.forHome(home);
        if (sensitive.whyInsideCredentials(real).isPresent() || real.startsWith("/etc")) {
            return java.util.Optional.empty();
        }
        for (PathGrant withheld : plan.withheld()) {
            if (real.startsWith(withheld.resolved())) {
                return java.util.Optional.of(path + " is read-only in the sandbox: " + withheld.path() + " "
                        + withheld.reason());
            }
        }
        boolean readable = plan.grants().stream().anyMatch(g -> real.startsWith(g.resolved()));
        boolean writable = plan.grants().stream()
                .anyMatch(g -> g.access() == PathGrant.Access.READ_WRITE && real.startsWith(g.resolved()));
        if (writable) {
            return java.util.Optional.empty(); // not ours: the sandbox allows it, the file system refused
        }
        Path target = Files.isDirectory(real) ? real : real.getParent();
        if (target == null || sensitive.whyNotDirectory(target).isPresent()) {
            target = real; // never suggest opening /, $HOME, /etc or a directory that holds keys: name the path itself
            if (Files.isDirectory(target) && sensitive.whyNotDirectory(target).isPresent()) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(readable
                ? path + " is read-only in the sandbox: allow writing beneath " + target + " with --rw " + target
                : path + " is outside the sandbox policy: allow reading with --ro " + target
                        + " (or reading and writing with --rw " + target + ")");
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            Path parent = path.getParent();
            if (parent != null) {
                try {
                    return parent.toRealPath().resolve(path.getFileName());
                } catch (java.io.IOException ignored) {
                    // fall through
                }
            }
            return path;
        }
    }

}
