package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a file could have been written or planted by a sandboxed command — or by
 * anyone but root and the invoking user — and so must not be a source of derived grants.
 *
 * <p>A path is <em>trusted</em> when the kernel, resolving it, passes only through directories
 * (and symlinks in them) that are
 * <ul>
 *   <li>owned by root or the invoking user,</li>
 *   <li>not writable by group or others (a sticky {@code /tmp} is still writable by everyone: a
 *       name there can be claimed by anyone first),</li>
 *   <li>not a writable path of the policy (the working directory, {@code /tmp}, {@code $TMPDIR},
 *       {@code --rw} paths, the AWS CLI caches) and not inside one — what a command can write,
 *       an earlier command could have planted,</li>
 * </ul>
 * and ends at a file with the same three properties. Each symlink is checked where it lives and
 * then followed component by component, so a link in {@code /tmp} that another sandboxed
 * process flips between {@code ~/.ssh/id_ed25519} and {@code /usr/bin/sh} makes the whole path
 * untrusted, whichever way it points at the moment (found in review: the key was printed).
 */
final class PlantingCheck {
    private static final int MAX_LINKS = 40;
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private final List<Path> writableRoots;
    private final List<UserPrincipal> trustedOwners;

    /** The outcome for one path: where it leads, and why it cannot be trusted (empty: it can). */
    record Verdict(Path real, Optional<String> untrusted) {
        boolean trusted() {
            return untrusted.isEmpty();
        }
    }

    /**
     * @param writableRoots every path the policy makes (or could make) writable, as configured;
     *                      resolved here
     */
    PlantingCheck(List<Path> writableRoots) {
        List<Path> roots = new ArrayList<>();
        for (Path root : writableRoots) {
            roots.add(SensitiveLocations.realOrSelf(root));
        }
        this.writableRoots = List.copyOf(roots);
        this.trustedOwners = trustedOwners();
    }

    /** root and the user this JVM runs as, compared by uid (not by name). */
    private static List<UserPrincipal> trustedOwners() {
        List<UserPrincipal> owners = new ArrayList<>();
        try {
            var lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            owners.add(lookup.lookupPrincipalByName("root"));
            String user = System.getProperty("user.name");
            if (user != null && !user.isEmpty() && !user.equals("?")) {
                owners.add(lookup.lookupPrincipalByName(user));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no owners: nothing is trusted, nothing is derived
        }
        return List.copyOf(owners);
    }

    /** Resolves {@code path} (absolute) as the kernel would and judges every step of the way. */
    Verdict check(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path current = absolute.getRoot();
        Optional<String> why = judge(current);
        if (why.isPresent()) {
            return new Verdict(absolute, why);
        }
        List<Path> pending = new ArrayList<>();
        absolute.forEach(pending::add);
        int links = 0;
        while (!pending.isEmpty()) {
            Path name = pending.removeFirst();
            if (name.toString().equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            if (name.toString().equals(".")) {
                continue;
            }
            Path next = current.resolve(name);
            PosixFileAttributes attributes;
            try {
                attributes = Files.readAttributes(next, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException e) {
                return new Verdict(absolute, Optional.of(next + " cannot be examined (" + e.getClass().getSimpleName() + ")"));
            }
            if (attributes.isSymbolicLink()) {
                // the link lives in `current`, already judged; it cannot change unless `current` can
                if (++links > MAX_LINKS) {
                    return new Verdict(absolute, Optional.of(absolute + " has too many symlinks"));
                }
                Path target;
                try {
                    target = Files.readSymbolicLink(next);
                } catch (IOException e) {
                    return new Verdict(absolute, Optional.of(next + " cannot be read"));
                }
                List<Path> expanded = new ArrayList<>();
                target.forEach(expanded::add);
                pending.addAll(0, expanded);
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                continue;
            }
            why = judge(next, attributes);
            if (why.isPresent()) {
                return new Verdict(absolute, why);
            }
            current = next;
        }
        return new Verdict(current, Optional.empty());
    }

    /**
     * Like {@link #check}, for a directory that may not exist (a {@code PATH} entry): a missing
     * one is trusted when its nearest existing ancestor is, since only its owner could create it.
     */
    Verdict checkCreatable(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return new Verdict(absolute, Optional.of(absolute + " has no existing ancestor"));
        }
        Verdict verdict = check(existing);
        return existing.equals(absolute) ? verdict : new Verdict(absolute, verdict.untrusted());
    }

    private Optional<String> judge(Path path) {
        try {
            return judge(path, Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of(path + " cannot be examined");
        }
    }

    private Optional<String> judge(Path real, PosixFileAttributes attributes) {
        if (!trustedOwners.contains(attributes.owner())) {
            return Optional.of(real + " is owned by " + attributes.owner().getName() + ", not by root or this user");
        }
        for (PosixFilePermission p : attributes.permissions()) {
            if (WRITABLE_BY_OTHERS.contains(p)) {
                return Optional.of(real + " is writable by " + (p == PosixFilePermission.GROUP_WRITE ? "its group" : "everyone"));
            }
        }
        for (Path root : writableRoots) {
            if (real.startsWith(root)) {
                return Optional.of(real + " is " + (real.equals(root) ? "" : "inside ") + root
                        + ", which sandboxed commands can write");
            }
        }
        return Optional.empty();
    }
}
