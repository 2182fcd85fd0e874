package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>Modes and owners are read afresh in every plan ({@link FileFacts#stat}), owners as numeric
 * uids: resolving each owner's name through the password database cost an {@code /etc/passwd}
 * read per path component. Verdicts are kept for the one plan this instance serves.
 */
final class PlantingCheck {
    private static final int MAX_LINKS = 40;

    private final FileFacts facts;
    private final List<Path> writableRoots;
    private final TrustedOwners trustedOwners;
    /** Whether a directory (resolved) is one where an earlier sandboxed command could have planted a link. */
    private final java.util.function.Predicate<Path> linkPlantable;
    private final Map<Path, Verdict> verdicts = new HashMap<>();

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
        this(writableRoots, new FileFacts());
    }

    /** For one plan, whose file-system answers {@code facts} holds. */
    PlantingCheck(List<Path> writableRoots, FileFacts facts) {
        this(writableRoots, facts, directory -> false);
    }

    /**
     * For one plan, where a symbolic link in a directory {@code linkPlantable} accepts (resolved)
     * is never followed: it makes the whole path untrusted, wherever it leads. Such a directory is
     * one that an <em>earlier</em> sandboxed command, with a policy of its own, could have written
     * (any data directory, as for {@code --ro}): red team, round 18, planted {@code lib -> /proc}
     * and {@code lib64 -> ~/Documents} beside a program there, and a later command run from
     * elsewhere was granted them.
     */
    PlantingCheck(List<Path> writableRoots, FileFacts facts, java.util.function.Predicate<Path> linkPlantable) {
        this.linkPlantable = linkPlantable;
        this.facts = facts;
        facts.neverCacheBelow(writableRoots);
        // in order, each once: the working directory is usually named three times; only the first
        // root a path is in is ever reported
        Set<Path> roots = new LinkedHashSet<>();
        for (Path root : writableRoots) {
            roots.add(facts.realOrNormalized(root));
        }
        this.writableRoots = List.copyOf(roots);
        facts.neverCacheBelow(this.writableRoots);
        this.trustedOwners = TrustedOwners.current();
    }

    /** Resolves {@code path} (absolute) as the kernel would and judges every step of the way. */
    Verdict check(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Verdict known = verdicts.get(absolute);
        if (known == null) {
            known = walk(absolute);
            verdicts.put(absolute, known);
        }
        return known;
    }

    private Verdict walk(Path absolute) {
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
            if (name.equals(FileFacts.DOT_DOT)) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            if (name.equals(FileFacts.DOT)) {
                continue;
            }
            Path next = current.resolve(name);
            // a symlink is not judged itself (below), so its type may come from the entry cache
            boolean symlink = facts.knownKind(next).orElse(null) == FileFacts.Kind.SYMLINK;
            FileFacts.Stat attributes = null;
            if (!symlink) {
                try {
                    attributes = facts.stat(next);
                } catch (IOException | UnsupportedOperationException e) {
                    return new Verdict(absolute, Optional.of(next + " cannot be examined (" + e.getClass().getSimpleName() + ")"));
                }
                symlink = attributes.isSymbolicLink();
            }
            if (symlink) {
                // the link lives in `current`, already judged; it cannot change unless `current` can
                if (linkPlantable.test(current)) {
                    return new Verdict(absolute, Optional.of(next + " is a symbolic link in " + current
                            + ", a directory sandboxed commands can write (one of them could have planted it)"));
                }
                if (++links > MAX_LINKS) {
                    return new Verdict(absolute, Optional.of(absolute + " has too many symlinks"));
                }
                Path target;
                try {
                    target = facts.readLink(next);
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
        while (existing != null && !facts.exists(existing, false)) {
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
            return judge(path, facts.stat(path));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of(path + " cannot be examined");
        }
    }

    private Optional<String> judge(Path real, FileFacts.Stat attributes) {
        if (!trustedOwners.trusts(attributes.uid(), real)) {
            return Optional.of(real + " is owned by " + trustedOwners.name(attributes.uid()) + ", not by root or this user");
        }
        // group before others, as the permission set is ordered
        if (attributes.groupWritable() || attributes.othersWritable()) {
            return Optional.of(real + " is writable by " + (attributes.groupWritable() ? "its group" : "everyone"));
        }
        for (Path root : writableRoots) {
            if (real.startsWith(root)) {
                return Optional.of(real + " is " + (real.equals(root) ? "" : "inside ") + root
                        + ", which sandboxed commands can write");
            }
        }
        return Optional.empty();
    }

    /**
     * root and the user this JVM runs as ({@code user.name}), looked up by name once per process
     * and compared by uid, exactly as the {@link UserPrincipal}s were before (they are equal when
     * their uids are). Why once: these are the JVM's own identity, which does not change while it
     * runs; a sandboxed command cannot rename the account the JVM runs as out from under it (and
     * if one rewrote the password database, trusting the uids the JVM started with is the safer
     * reading). A different {@code user.name} gets its own lookup. Whether a given uid is one of
     * them is decided once per uid: the file's owner and its principal are read in one
     * {@code lstat}, so the answer belongs to that uid. A file's owner itself is read in every plan.
     */
    static final class TrustedOwners {
        private static final ConcurrentHashMap<String, TrustedOwners> BY_USER_NAME = new ConcurrentHashMap<>();

        private final List<UserPrincipal> owners;
        /** uid → its principal, as {@code PosixFileAttributes.owner()} resolved it. */
        private final ConcurrentHashMap<Integer, UserPrincipal> principals = new ConcurrentHashMap<>();

        private TrustedOwners(List<UserPrincipal> owners) {
            this.owners = owners;
        }

        static TrustedOwners current() {
            String user = System.getProperty("user.name");
            return BY_USER_NAME.computeIfAbsent(user == null ? "" : user, TrustedOwners::lookUp);
        }

        private static TrustedOwners lookUp(String user) {
            List<UserPrincipal> owners = new ArrayList<>();
            try {
                var lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
                owners.add(lookup.lookupPrincipalByName("root"));
                if (!user.isEmpty() && !user.equals("?")) {
                    owners.add(lookup.lookupPrincipalByName(user));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no owners: nothing is trusted, nothing is derived
            }
            return new TrustedOwners(List.copyOf(owners));
        }

        /** Whether {@code uid}, the owner {@code path} was just found to have, is root or this user. */
        boolean trusts(int uid, Path path) {
            UserPrincipal principal = principals.get(uid);
            if (principal == null) {
                try {
                    Map<String, Object> a = Files.readAttributes(path, "unix:uid,owner", LinkOption.NOFOLLOW_LINKS);
                    principals.putIfAbsent((Integer) a.get("uid"), (UserPrincipal) a.get("owner"));
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
                principal = principals.get(uid);
                if (principal == null) {
                    return false; // the owner changed between two reads: not trusted this time
                }
            }
            return owners.contains(principal);
        }

        /** The owner's name for messages (the uid when it has none). */
        String name(int uid) {
            UserPrincipal principal = principals.get(uid);
            return principal == null ? Integer.toString(uid) : principal.getName();
        }
    }
}
