package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether a directory is, lies in or holds what the git rule protects — a {@code .git}, a git
 * directory of any name, or a path a repository's config names ({@link GitConfig}) — for the denial
 * hints, which must never advise granting it (red team, round 18, F2: a forged denial of
 * {@code <repo>/.githooks/pre-commit} got {@code --rw <repo>/.githooks}, the hooks directory
 * {@code core.hooksPath} names; one of {@code <repo>/.git/hooks/pre-commit} walked the user to
 * {@code --allow-git-writes}).
 */
public final class GitProtection {
    private GitProtection() {}

    /** Why {@code dir} (resolved) must not be advised as a grant, if it must not. */
    public static Optional<String> why(Path dir, Path home) {
        return why(dir, home, java.util.Map.of(), home);
    }

    /**
     * As {@link #why(Path, Path)}, the user's and the system's git config read too (their
     * location from {@code variables}: {@code XDG_CONFIG_HOME}, {@code GIT_CONFIG_GLOBAL}), for
     * what they name (red team, round 19, F2).
     */
    public static Optional<String> why(Path dir, Host host) {
        return why(dir, host.home(), host.variables(), host.workingDirectory());
    }

    private static Optional<String> why(Path dir, Path home, java.util.Map<String, String> variables,
                                        Path workingDirectory) {
        for (Path up = dir; up != null; up = up.getParent()) {
            if (up.getFileName() != null && up.getFileName().toString().equals(".git") || GitMetadata.isGitDirectory(up)) {
                return Optional.of("it is git metadata (" + up + ")");
            }
        }
        GitMetadata.Scan scan = GitMetadata.find(dir);
        if (!scan.complete()) {
            return Optional.of("it is too large to rule out git metadata");
        }
        if (!scan.entries().isEmpty()) {
            return Optional.of("it holds git metadata (" + scan.entries().getFirst().path() + ")");
        }
        for (GitConfig.Target target : GitConfig.around(List.of(dir), scan.entries(), home,
                GitConfig.globalFiles(variables, home, workingDirectory),
                GitConfig.runningIn(variables, workingDirectory))) {
            for (Path path : List.of(target.lexical(), target.real())) {
                if (target.container() ? dir.startsWith(path) : dir.equals(path)) {
                    return Optional.of("it is or lies in " + path + " (" + target.why() + ")");
                }
                if (path.startsWith(dir)) {
                    return Optional.of("it holds " + path + " (" + target.why() + ")");
                }
            }
        }
        return Optional.empty();
    }
}
