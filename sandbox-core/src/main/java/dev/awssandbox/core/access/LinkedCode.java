package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Files that run or configure what runs later, outside the sandbox, reached through a symbolic
 * link from where they are looked for: {@code $HOME}'s hidden entries ({@code ~/.bashrc},
 * {@code ~/.profile}, {@code ~/.gitconfig} managed by GNU stow, yadm or a hand-made
 * {@code ln -s ~/dotfiles/bashrc ~/.bashrc}) and the programs in {@code PATH}'s directories
 * ({@code /usr/local/bin/tool -> ~/src/tool/tool.sh}, {@code npm link}). Their targets lie in an
 * ordinary data directory; a command run there rewrote them, and the next login shell, git command
 * or run of the tool ran its code unsandboxed (red team, round 19, F10). The planner keeps each
 * target that lies in a write path as it keeps aws-sandbox's installation: read-only inside the
 * writable directory (bubblewrap), the directory not made writable (Landlock).
 *
 * <p>Since round 24 the known files are backed by a rule: every link among the home's configuration
 * entries (its hidden directories' entries two levels down, and three levels of the directories
 * the AWS and ssh configs read whole) counts the same way ({@link Walk}; not the caches of
 * {@link #NOT_LISTED}; at most {@link #CONFIG_BUDGET} entries, past which the caller makes no write
 * path writable).
 *
 * <p>Bounded: only {@code $HOME}'s top-level hidden entries and a few known files below them
 * ({@link #KNOWN_BELOW}: {@code ~/.config/git/config}, {@code ~/.ssh/config}, …),
 * only directories on {@code PATH} (and a login shell's {@code ~/bin}, {@code ~/.local/bin},
 * {@code ~/go/bin}, {@code ~/.cargo/bin}) that are not the distribution's own
 * ({@link #DISTRIBUTION}: links there are its packages', and only root can add one), and at most
 * {@link #MAX_ENTRIES} entries read in all; listings and entry types come from the entry cache
 * while a directory is unchanged. Nothing is read when the plan has no write path.
 */
final class LinkedCode {
    /** Entries read in all, $HOME's and PATH's; past it the rest is not looked at (stated in docs/security.md). */
    static final int MAX_ENTRIES = 4096;

    /** The distribution's program directories, resolved: its packages' links, which only root can add to. */
    private static final Set<Path> DISTRIBUTION = Set.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/bin"),
            Path.of("/sbin"), Path.of("/usr/games"));

    /**
     * Files below a home's hidden directories that other programs run or read as configuration
     * that runs commands, and that dotfile managers link one by one: git's XDG config (an
     * {@code fsmonitor}), ssh's {@code config} ({@code ProxyCommand}) and {@code rc}, the AWS config
     * ({@code credential_process}), kubectl's ({@code exec} plugins), docker's (credential helpers),
     * fish's and neovim's start-up files. Each is one {@code lstat}, answered by the entry cache.
     */
    private static final List<String> KNOWN_BELOW = List.of(".config/git/config", ".config/git/attributes",
            ".config/fish/config.fish", ".config/nvim/init.lua", ".config/nvim/init.vim", ".ssh/config", ".ssh/rc",
            ".ssh/authorized_keys", ".aws/config", ".kube/config", ".docker/config.json");

    /**
     * A link and what lies in a write path: its resolved target ({@code onTheWay} false), or a
     * further symbolic link on the way to it ({@code onTheWay} true: {@code ~/.bashrc -> dots/bashlink
     * -> store/bashrc}, where {@code dots/bashlink} is what the shell really reads and a command run in
     * {@code dots} re-pointed it: red team, round 22, F2), or a directory a {@code ..} in a target walks
     * back out of ({@code walkedBack} true: {@code ~/.bashrc -> dots/b/../../bashrc}, where a command run in
     * {@code dots} swaps {@code b} for a link), which only a write path strictly around it could replace.
     */
    record Target(Path link, Path real, boolean onTheWay, boolean walkedBack) {
        Target(Path link, Path real) {
            this(link, real, false, false);
        }

        Target(Path link, Path real, boolean onTheWay) {
            this(link, real, onTheWay, false);
        }
    }

    /**
     * What {@link #into} found: the targets, and why the walk of the configuration entries was
     * cut short, if it was ({@link #CONFIG_BUDGET} entries read): a link past the bound could lead
     * anywhere, so no write path is made writable then (fails closed).
     */
    record Found(List<Target> targets, java.util.Optional<String> unchecked) {}

    /**
     * Entries read in all by the walk of the configuration entries (red team, round 24): the
     * entries of the home's hidden directories and of the directories below them, and of the
     * directories the AWS and ssh configs read as a whole ({@code AWS_DATA_PATH}, {@code data_path},
     * {@code ~/.aws/models}, an ssh {@code Include} glob's directory) to the same depth. Past it the
     * walk stops and no write path is made writable.
     */
    static final int CONFIG_BUDGET = 8192;

    /**
     * Levels of a hidden directory of the home that are listed: its entries ({@code ~/.config/fish},
     * {@code ~/.mc/config.json}) and theirs ({@code ~/.config/doctl/config.yaml},
     * {@code ~/.ssh/config.d/work}, {@code ~/.aws/models/sts}); of a data path or an include
     * directory, three ({@code sts/2011-06-15/endpoint-rule-set-1.json}: what botocore loads).
     */
    private static final int HOME_LEVELS = 2;
    private static final int DATA_LEVELS = 3;

    /**
     * Directories of the home not listed by that walk: caches and installed packages, which hold
     * thousands of entries, are rewritten by their programs all the time, and which no dotfile
     * manager links into a checkout. A link <em>at</em> one of these names is still seen (it is an
     * entry of its parent); what lies inside is not looked at (stated in docs/security.md).
     */
    private static final Set<String> NOT_LISTED = Set.of(".cache", ".npm", ".local/share", ".m2/repository",
            ".gradle/caches", ".gradle/wrapper", ".cargo/registry", ".cargo/git", ".rustup/toolchains",
            ".pyenv/versions", ".nvm/versions", ".vscode/extensions", ".vscode-server", ".git");

    private LinkedCode() {}

    /**
     * The targets, lying in, being or holding one of {@code writeRoots} (resolved), of the symbolic links
     * among the hidden entries of {@code homes} and the entries of the directories on
     * {@code pathVariable} and of {@code runDirectories} (those the shells' start-up files run from:
     * {@link NamedFiles#runDirectories}), after PATH's.
     */
    static Found into(List<Path> writeRoots, List<Path> homes, String pathVariable, List<Path> runDirectories,
                      List<Path> configDirectories, FileFacts facts) {
        if (writeRoots.isEmpty()) {
            return new Found(List.of(), java.util.Optional.empty());
        }
        Set<Path> directories = new LinkedHashSet<>();
        StringBuilder path = new StringBuilder(pathVariable);
        for (Path home : homes) {
            for (String dir : List.of("bin", ".local/bin", "go/bin", ".cargo/bin")) {
                path.append(':').append(home.resolve(dir));
            }
        }
        List<Path> entries = new ArrayList<>();
        for (String entry : path.toString().split(":", -1)) {
            if (entry.startsWith("/")) {
                entries.add(Path.of(entry));
            }
        }
        entries.addAll(runDirectories);
        for (Path entry : entries) {
            // a missing entry (~/go/bin) is asked with an lstat the entry cache answers: resolving it throws, slowly
            if (facts.kind(entry.normalize()) != FileFacts.Kind.ABSENT) {
                Path dir = facts.realOrNormalized(entry);
                if (!DISTRIBUTION.contains(dir)) {
                    directories.add(dir);
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        int budget = MAX_ENTRIES;
        for (Path home : homes) {
            budget = collect(home, true, budget, writeRoots, facts, targets);
            for (String below : KNOWN_BELOW) {
                Path file = home.resolve(below);
                if (facts.kind(file) == FileFacts.Kind.SYMLINK) {
                    addTargets(file, writeRoots, facts, targets);
                }
            }
        }
        for (Path dir : directories) {
            budget = collect(dir, false, budget, writeRoots, facts, targets);
        }
        // the rule behind the lists (red team, round 24, F3, F4, F8, F16): every link among the home's configuration
        // entries, at any depth up to the bound, not only the known files above; stow folds a directory into one link
        // (~/.config/fish -> ~/dots/fish), a per-service link sits in ~/.aws/models, an include's match in ~/.ssh/config.d
        Walk walk = new Walk(writeRoots, homes, facts, targets);
        for (Path home : homes) {
            Links top = links(home, true, Integer.MAX_VALUE, facts); // remembered by the collect above
            for (Path entry : below(top)) {
                walk.list(entry, home, HOME_LEVELS);
            }
        }
        for (Path dir : configDirectories) {
            walk.list(dir, null, DATA_LEVELS);
        }
        return new Found(List.copyOf(targets), walk.budget > 0 ? java.util.Optional.empty()
                : java.util.Optional.of("beyond what was checked: the home's configuration entries (its hidden directories,"
                + " two levels deep) and the AWS data paths hold more than " + CONFIG_BUDGET + " entries, so a symbolic"
                + " link among them into it could not be ruled out"));
    }

    /** A listing's directories and links, to descend into: a link to a directory is listed as what it leads to. */
    private static List<Path> below(Links listing) {
        List<Path> all = new ArrayList<>(listing.directories());
        all.addAll(listing.links());
        return all;
    }

    /** The walk of the configuration entries: one budget, the targets found so far. */
    private static final class Walk {
        private final List<Path> writeRoots;
        private final List<Path> homes;
        private final FileFacts facts;
        private final List<Target> into;
        int budget = CONFIG_BUDGET;

        Walk(List<Path> writeRoots, List<Path> homes, FileFacts facts, List<Target> into) {
            this.writeRoots = writeRoots;
            this.homes = homes;
            this.facts = facts;
            this.into = into;
        }

        /**
         * Adds the targets of the links among {@code dir}'s entries, then lists its directories
         * {@code levels - 1} more levels down; {@code home} is the home {@code dir} lies in, to skip
         * {@link #NOT_LISTED} (null: a data path or include directory, listed whole).
         */
        void list(Path dir, Path home, int levels) {
            if (levels <= 0 || budget <= 0) {
                return;
            }
            if (home != null && dir.startsWith(home) && NOT_LISTED.contains(home.relativize(dir).toString())) {
                return;
            }
            Path listed = dir;
            FileFacts.Stat stat = statNow(dir, facts);
            FileFacts.Kind kind = stat == null ? FileFacts.Kind.ABSENT : stat.kind();
            if (kind == FileFacts.Kind.SYMLINK) {
                // ~/.config -> ~/dots/config outside every write path: its entries may still link into one
                java.util.Optional<Path> real = facts.real(dir);
                if (real.isEmpty() || !facts.isDirectory(real.get(), true) || holdsAHome(real.get())) {
                    return;
                }
                listed = real.get();
            } else if (kind != FileFacts.Kind.DIRECTORY) {
                return;
            }
            Links listing = listed == dir ? links(dir, false, budget, facts, stat) : links(listed, false, budget, facts);
            budget -= listing.entries();
            if (budget < 0) {
                budget = 0; // cut short: the caller fails closed
                return;
            }
            Set<Path> toFiles = new java.util.HashSet<>();
            for (Resolution link : resolutions(listed, listing, facts)) {
                link.addTargets(writeRoots, into, homes);
                if (link.real() != null && !link.directory()) {
                    toFiles.add(link.link());
                }
            }
            for (Path entry : below(listing)) {
                if (toFiles.contains(entry)) {
                    continue; // a link to a file: nothing below it to list (SSL_CERT_DIR's hundreds had each been looked at)
                }
                // named as the link's own path below the listed directory: ~/.config/fish/x, not ~/dots/config/fish/x
                list(dir.resolve(entry.getFileName()), home, levels - 1);
            }
        }

        private boolean holdsAHome(Path real) {
            return homes.stream().anyMatch(h -> h.startsWith(real));
        }
    }

    /**
     * The symbolic links among a directory's entries (its hidden ones only, when asked), and how
     * many entries it has, while its device, inode and change time are those recorded: as in
     * {@link EntryCache}, a name can appear, go or lead elsewhere only by a change that sets the
     * directory's ctime, and a directory is remembered only once its ctime is
     * {@value EntryCache#SETTLE_MILLIS} ms old (two changes within one clock tick share a ctime).
     * Planning read 180 entries of {@code ~/.pyenv/shims} and the like in every plan otherwise.
     */
    private record Links(long dev, long ino, long ctime, int entries, List<Path> links, List<Path> directories) {}

    private static final java.util.concurrent.ConcurrentHashMap<Path, Links> LINKS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 4096; // a home's hidden directories and the levels below them

    /** Adds the targets of {@code dir}'s links (its hidden ones only, when {@code hiddenOnly}); returns the budget left. */
    private static int collect(Path dir, boolean hiddenOnly, int budget, List<Path> writeRoots, FileFacts facts,
                               List<Target> into) {
        if (budget <= 0) {
            return 0;
        }
        Links links = links(dir, hiddenOnly, budget, facts);
        for (Resolution link : resolutions(hiddenOnly ? dir.resolve(".") : dir, links, facts)) {
            link.addTargets(writeRoots, into, List.of());
        }
        return Math.max(0, budget - links.entries());
    }

    /**
     * Adds what of the link {@code entry}'s way lies in {@code writeRoots}: its resolved target when
     * it lies in a write path or holds one ({@code ~/.vim -> ~/src/vim}, a write path in it), and each
     * further symbolic link the kernel passes on the way there that lies in one ({@link PathWalk}: a
     * few lstats the entry cache answers).
     */
    private static void addTargets(Path entry, List<Path> writeRoots, FileFacts facts, List<Target> into) {
        Resolution.of(entry, facts).addTargets(writeRoots, into, List.of());
    }

    /**
     * What resolving the link {@code link} gives, whatever the write paths: its real target, or where a file created
     * through it would be ({@code created}, when it dangles); whether the target is a directory; and, unless the link
     * leads straight to its file ({@code walk} null), the walk of its way.
     */
    private record Resolution(Path link, Path real, Path created, boolean directory, PathWalk walk) {

        static Resolution of(Path entry, FileFacts facts) {
            java.util.Optional<Path> real = facts.real(entry);
            // a dangling link: where a file created through it would be, which a command in a write path could create
            // (outside test RT26, F6: ~/.bashrc -> proj/f with no f yet; under Landlock the command wrote it, and the
            // host's next shell ran it)
            Path created = real.isEmpty() ? facts.whereCreated(entry) : null;
            boolean directory = real.isPresent() && facts.isDirectory(real.get(), true);
            Path to;
            try {
                to = facts.readLink(entry);
            } catch (java.io.IOException | RuntimeException e) {
                return new Resolution(entry, real.orElse(null), created, directory, null); // gone meanwhile
            }
            // the common case, one link straight to its file, needs no walk: what it names (lexically) is where it
            // resolves to, and no ".." in it could have cancelled a link it passed (l/../f with l -> m beside it)
            if (real.isPresent() && real.get().equals(entry.getParent().resolve(to).normalize()) && !cancelsAName(to)) {
                return new Resolution(entry, real.get(), null, directory, null);
            }
            return new Resolution(entry, real.orElse(null), created, directory, PathWalk.of(entry, facts));
        }

        /**
         * Adds what of this way lies in {@code writeRoots}. A link found by the walk of the configuration entries
         * ({@code homes} given) whose target is {@code /} or holds one of {@code homes} counts only by what lies in a
         * write path ({@code ~/.wine/dosdevices/z: -> /} would otherwise keep every write path from being writable),
         * as a link at a credential location to {@code /} gives nothing.
         */
        void addTargets(List<Path> writeRoots, List<Target> into, List<Path> homes) {
            if (real != null) {
                boolean holdsAHome = homes.stream().anyMatch(h -> h.startsWith(real));
                if (writeRoots.stream().anyMatch(root -> real.startsWith(root) || (!holdsAHome && root.startsWith(real)))) {
                    into.add(new Target(link, real));
                }
            } else if (writeRoots.stream().anyMatch(created::startsWith)) {
                into.add(new Target(link, created));
            }
            if (walk == null) {
                return;
            }
            List<Path> links = walk.links();
            for (Path passed : links.subList(Math.min(1, links.size()), links.size())) {
                if (writeRoots.stream().anyMatch(passed::startsWith)) {
                    into.add(new Target(link, passed, true));
                }
            }
            // a directory a '..' in a target walks back out of, strictly inside a write path: the command could swap
            // it for a link, and the kernel's '..' would go up from there (~/.bashrc -> dots/b/../../bashrc)
            for (Path back : walk.walkedBack()) {
                if (writeRoots.stream().anyMatch(root -> back.startsWith(root) && !back.equals(root))) {
                    into.add(new Target(link, back, false, true));
                }
            }
        }
    }

    /**
     * The resolutions of a listed directory's links, and the directories whose entries resolving them looked up,
     * each with the identity and change time it had: {@code lstat} gives a link's target and every component's type
     * from its directory's entries, which change only by what sets that directory's change time (the rule of
     * {@link EntryCache}), and a mount over one of them changes its identity. So while every one of them shows the
     * same in this plan's {@code lstat}, resolving the links again gives the same (one plan of this VM's home walked
     * {@code SSL_CERT_DIR}'s 287 links, a third of the plan: docs/performance.md).
     */
    private record Resolved(List<Path> listed, List<Resolution> links, List<Stamp> directories) {}

    /** A directory as a plan's {@code lstat} saw it. */
    private record Stamp(Path directory, long dev, long ino, long ctime) {}

    private static final java.util.concurrent.ConcurrentHashMap<Path, Resolved> RESOLVED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The resolutions of {@code listing}'s links ({@code key} names the listing as {@link #links} does): remembered
     * while every directory they looked up is unchanged, resolved in this plan otherwise. Remembered only where all
     * of them resolve (a dangling link or a loop is resolved in every plan) and every directory had settled before
     * the resolving began ({@link EntryCache#SETTLE_MILLIS}), so that a change while resolving is never kept.
     */
    private static List<Resolution> resolutions(Path key, Links listing, FileFacts facts) {
        if (listing.links().isEmpty()) {
            return List.of();
        }
        Resolved known = RESOLVED.get(key);
        // the listing's links are the same list while the directory is unchanged (LINKS), so this is mostly one '=='
        if (known != null && known.listed().equals(listing.links()) && unchanged(known.directories(), facts)) {
            return known.links();
        }
        long started = System.currentTimeMillis();
        List<Resolution> fresh = new ArrayList<>(listing.links().size());
        Set<Path> directories = new LinkedHashSet<>();
        boolean remember = true;
        for (Path link : listing.links()) {
            Resolution resolution = Resolution.of(link, facts);
            fresh.add(resolution);
            if (!remember) {
                continue;
            }
            PathWalk walk = resolution.walk() != null ? resolution.walk() : PathWalk.of(link, facts);
            if (resolution.real() == null || walk.tooManyLinks()) {
                remember = false;
                continue;
            }
            // the directory each name was looked up in, and every directory on the way to the target
            for (Path visited : walk.visited()) {
                directories.add(visited.getParent() == null ? visited : visited.getParent());
            }
            for (Path up = resolution.real().getParent(); up != null; up = up.getParent()) {
                directories.add(up);
            }
        }
        List<Stamp> stamps = remember ? stamps(directories, started, facts) : null;
        if (stamps != null) {
            if (RESOLVED.size() >= MAX_REMEMBERED) {
                RESOLVED.clear();
            }
            RESOLVED.put(key, new Resolved(listing.links(), List.copyOf(fresh), stamps));
        }
        return fresh;
    }

    /** Each directory's {@code lstat} now; null where one is gone or changed less than the settling time before {@code started}. */
    private static List<Stamp> stamps(Set<Path> directories, long started, FileFacts facts) {
        List<Stamp> stamps = new ArrayList<>(directories.size());
        for (Path directory : directories) {
            FileFacts.Stat stat = statNow(directory, facts);
            if (stat == null || java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(stat.ctime())
                    >= started - EntryCache.SETTLE_MILLIS) {
                return null;
            }
            stamps.add(new Stamp(directory, stat.dev(), stat.ino(), stat.ctime()));
        }
        return List.copyOf(stamps);
    }

    private static boolean unchanged(List<Stamp> stamps, FileFacts facts) {
        for (Stamp stamp : stamps) {
            FileFacts.Stat stat = statNow(stamp.directory(), facts);
            if (stat == null || stat.dev() != stamp.dev() || stat.ino() != stamp.ino() || stat.ctime() != stamp.ctime()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a {@code ..} in {@code path} follows a name it would cancel ({@code l/..}); leading ones do not. */
    private static boolean cancelsAName(Path path) {
        boolean named = false;
        for (Path name : path) {
            if (name.equals(FileFacts.DOT_DOT)) {
                if (named) {
                    return true;
                }
            } else if (!name.equals(FileFacts.DOT)) {
                named = true;
            }
        }
        return false;
    }

    /**
     * {@code lstat(dir)} now: the one system call (statx, no JDK attribute map, no entry-cache
     * bookkeeping) that decides whether the remembered listing still holds — the walk asks it of
     * hundreds of directories a plan (the JDK's readAttributes doubled a plan's cost); null when
     * gone or unreadable.
     */
    private static FileFacts.Stat statNow(Path dir, FileFacts facts) {
        Object known = NativeLstat.lstat(dir, System.currentTimeMillis());
        if (known instanceof FileFacts.Stat stat) {
            return stat;
        }
        if (known instanceof Integer errno && errno == NativeLstat.ENOENT) {
            return null;
        }
        try {
            return facts.stat(dir);
        } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The symbolic links among the entries of the directory {@code dir} (not followed), remembered as the walk
     * remembers a directory's links: while its identity and change time are those of this plan's {@code lstat}.
     */
    static List<Path> symbolicLinksIn(Path dir, FileFacts facts) {
        return links(dir, false, Integer.MAX_VALUE, facts).links();
    }

    private static Links links(Path dir, boolean hiddenOnly, int budget, FileFacts facts) {
        return links(dir, hiddenOnly, budget, facts, statNow(dir, facts));
    }

    private static Links links(Path dir, boolean hiddenOnly, int budget, FileFacts facts, FileFacts.Stat stat) {
        if (stat == null) {
            return new Links(0, 0, 0, 0, List.of(), List.of()); // gone or unreadable: nothing there to protect
        }
        Path key = hiddenOnly ? dir.resolve(".") : dir; // a home's hidden links apart from its PATH-style listing
        Links known = LINKS.get(key);
        if (known != null && known.dev() == stat.dev() && known.ino() == stat.ino() && known.ctime() == stat.ctime()) {
            return known;
        }
        List<Path> entries = facts.list(dir);
        List<Path> found = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        int examined = 0;
        for (Path entry : entries) {
            if (examined++ >= budget) {
                break; // not remembered either: another plan may have more budget left
            }
            if (hiddenOnly && !entry.getFileName().toString().startsWith(".")) {
                continue;
            }
            FileFacts.Kind kind = facts.kind(entry);
            if (kind == FileFacts.Kind.SYMLINK) {
                found.add(entry);
            } else if (kind == FileFacts.Kind.DIRECTORY) {
                directories.add(entry);
            }
        }
        Links fresh = new Links(stat.dev(), stat.ino(), stat.ctime(), entries.size(), List.copyOf(found),
                List.copyOf(directories));
        boolean settled = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(stat.ctime())
                < System.currentTimeMillis() - EntryCache.SETTLE_MILLIS && entries.size() <= budget;
        if (settled) {
            if (LINKS.size() >= MAX_REMEMBERED) {
                LINKS.clear();
            }
            LINKS.put(key, fresh);
        }
        return fresh;
    }
}
