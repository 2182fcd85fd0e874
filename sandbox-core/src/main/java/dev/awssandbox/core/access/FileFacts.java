package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What one plan asks of the file system, each question put to the kernel once: the planner
 * resolves the same prefixes ({@code /usr}, {@code /etc}, the home, the working directory) and
 * judges the same directories over and over, and a plan of {@code /bin/true} cost ~450 system
 * calls before this memo.
 *
 * <p><b>Lifetime.</b> One instance per {@link AccessPlanner#plan} call, confined to its thread,
 * then dropped: a sandboxed command runs between two plans and may change whatever it can write,
 * so nothing here outlives the plan. A plan therefore sees one snapshot of each path (before, a
 * path could be judged at one moment and resolved at another; now both use the same answer).
 *
 * <p><b>What may come from the process.</b> Only the {@link EntryCache}: for a directory whose own
 * {@code lstat} in <em>this</em> plan shows the same identity and change time as when the entry was
 * recorded, which names it holds, their file types and symlink targets. Those cannot change
 * without changing the directory (see {@link EntryCache}). Modes, owners and everything else about
 * a file are read fresh in every plan ({@link #stat}).
 *
 * <p>{@link #real} is {@link Path#toRealPath()} (glibc {@code realpath}) computed component by
 * component on these answers: the same result, or empty where it would throw.
 */
final class FileFacts {
    /** The kernel's limit on symlinks followed in one resolution (and glibc realpath's). */
    static final int MAX_LINKS = 40;

    private static final String ATTRIBUTES = "unix:mode,uid,dev,ino,ctime";
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /** A file's type as {@code lstat} reports it; {@link #ERROR}: it could not be examined (other than "no such file"). */
    enum Kind { ABSENT, DIRECTORY, REGULAR, SYMLINK, OTHER, ERROR }

    /**
     * One {@code lstat}.
     *
     * @param dev        {@code st_dev} as the JDK's {@code unix:dev} encodes it
     * @param ctime      {@code st_ctim} in nanoseconds since the epoch
     * @param observedAt wall-clock milliseconds just before the call (for {@link EntryCache}'s settling rule)
     */
    record Stat(int mode, int uid, long dev, long ino, long ctime, long observedAt) {
        Kind kind() {
            return switch (mode & S_IFMT) {
                case S_IFDIR -> Kind.DIRECTORY;
                case S_IFREG -> Kind.REGULAR;
                case S_IFLNK -> Kind.SYMLINK;
                default -> Kind.OTHER;
            };
        }

        boolean isDirectory() {
            return kind() == Kind.DIRECTORY;
        }

        boolean isSymbolicLink() {
            return kind() == Kind.SYMLINK;
        }

        boolean groupWritable() {
            return (mode & 0020) != 0;
        }

        boolean othersWritable() {
            return (mode & 0002) != 0;
        }
    }

    private final EntryCache cache;
    /** Everything this plan learnt about a path, by the path: one look-up per question. */
    private final Map<Path, Node> nodes = new HashMap<>(512);
    /** Directories in or below these are never answered from the process cache (defence in depth). */
    private final List<Path> uncachedRoots = new ArrayList<>();

    /** What this plan knows of one path; null fields: not asked yet. */
    private static final class Node {
        /** {@code lstat}: a {@link Stat}, {@link #MISSING}, or the exception the JDK threw. */
        Object stat;
        /** {@code readlink}: a {@link Path}, or the exception. */
        Object link;
        /** {@code realpath}, for an absolute plain path. */
        Resolved resolved;
        /** For a directory path: its {@link EntryCache.Directory}, or {@link #NOT_CACHED}. */
        Object directory;
        /** Its {@code #!} line, read once: the missing-interpreter check and the chain both ask. */
        Optional<ExecutableChain.Shebang> shebang;
    }

    private static final Object NOT_CACHED = new Object();
    /** An answer of this plan: no such file (its exception is made only if someone asks for it). */
    private static final Object MISSING = new Object();
    static final Path DOT = Path.of(".");
    static final Path DOT_DOT = Path.of("..");
    private static final int DOT_HASH = DOT.hashCode();
    private static final int DOT_DOT_HASH = DOT_DOT.hashCode();

    /** Where a path leads ({@code real} null: nowhere), the symlinks followed on the way, and what it is. */
    private record Resolved(Path real, int links, Kind kind) {}

    private static final Resolved UNRESOLVED = new Resolved(null, 0, Kind.ERROR);

    /**
     * The facts of the plan running on this thread ({@link AccessPlanner#plan} binds them): the readers of the
     * configs ({@link NamedFiles}, {@link GitConfig}, {@link GitMetadata}) are static code that had asked the kernel
     * afresh at each question, so one plan put the same {@code lstat} to it up to 13 times.
     */
    private static final ScopedValue<FileFacts> PLAN = ScopedValue.newInstance();

    /** Runs {@code op} with {@code facts} as the facts of the running plan ({@link #lstatKind}, {@link #LSTAT}). */
    static <T, X extends Throwable> T during(FileFacts facts, ScopedValue.CallableOp<T, X> op) throws X {
        return ScopedValue.where(PLAN, facts).call(op);
    }

    /**
     * The type {@code lstat(path)} reports: asked once in the running plan, and never answered from the process
     * cache (as {@link #stat}); outside a plan, asked now ({@link NativeLstat#kindNow}).
     */
    static Kind lstatKind(Path path) {
        return PLAN.isBound() ? PLAN.get().freshKind(path) : NativeLstat.kindNow(path);
    }

    /**
     * {@link Path#toRealPath()}, empty where it would throw: resolved once in the running plan ({@link #real}); outside a
     * plan, now.
     */
    static Optional<Path> realPath(Path path) {
        if (PLAN.isBound()) {
            return PLAN.get().real(path);
        }
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * {@link Files#size} ({@code stat}, links followed), or -1 where it would throw: asked once in the running plan (the
     * readers ask it of a start-up file at each of a plan's readings of the files); outside a plan, now.
     */
    static long size(Path path) {
        if (!PLAN.isBound()) {
            return sizeNow(path);
        }
        return PLAN.get().sizes.computeIfAbsent(path.toAbsolutePath(), FileFacts::sizeNow);
    }

    private static long sizeNow(Path path) {
        try {
            return Files.size(path);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** What {@link #size} found in this plan. */
    private final Map<Path, Long> sizes = new HashMap<>();

    /**
     * {@link PathWalk}'s questions asked as {@link #lstatKind} asks them: once in the running plan (a link's target:
     * this plan's one answer), outside a plan now.
     */
    static final PathWalk.Lookup LSTAT = new PathWalk.Lookup() {
        @Override
        public Kind kind(Path p) {
            return lstatKind(p);
        }

        @Override
        public Path readLink(Path p) throws IOException {
            return PLAN.isBound() ? PLAN.get().freshLink(p) : Files.readSymbolicLink(p);
        }
    };

    /** How a file's contents are read ({@link GitConfig#readRegular}: a regular file of at most {@code max} bytes). */
    interface ContentReader {
        byte[] read(Path file, int max) throws IOException;
    }

    private record ContentKey(Path file, int max) {}

    /** What {@link #readOnce} read in this plan: the bytes, or the exception. */
    private final Map<ContentKey, Object> contents = new HashMap<>();

    /**
     * {@code reader}'s answer for {@code file}, read once in the running plan (every reader of the plan then reads the
     * same text); outside a plan, read now. Each caller gets its own copy of the bytes.
     */
    static byte[] readOnce(Path file, int max, ContentReader reader) throws IOException {
        if (!PLAN.isBound()) {
            return reader.read(file, max);
        }
        Map<ContentKey, Object> known = PLAN.get().contents;
        ContentKey key = new ContentKey(file, max);
        Object answer = known.get(key);
        if (answer == null) {
            try {
                answer = reader.read(file, max);
            } catch (IOException e) {
                answer = e;
            }
            known.put(key, answer);
        }
        if (answer instanceof IOException e) {
            throw e;
        }
        return ((byte[]) answer).clone();
    }

    /** {@link #stat}'s type, or {@link Kind#ABSENT} / {@link Kind#ERROR} where it throws. */
    private Kind freshKind(Path path) {
        Node node = node(path);
        if (node.stat == null) {
            try {
                stat(path);
            } catch (IOException | UnsupportedOperationException e) {
                // remembered in the node
            }
        }
        return node.stat == null ? Kind.ERROR : kindOf(node.stat);
    }

    /** {@code readlink(path)} once in this plan, not from the process cache. */
    private Path freshLink(Path path) throws IOException {
        Node node = node(path);
        if (node.link == null) {
            try {
                node.link = Files.readSymbolicLink(path);
            } catch (IOException e) {
                node.link = e;
            }
        }
        if (node.link instanceof IOException e) {
            throw e;
        }
        return (Path) node.link;
    }

    /** A memo backed by the process-wide entry cache. */
    FileFacts() {
        this(EntryCache.PROCESS);
    }

    FileFacts(EntryCache cache) {
        this(cache, java.util.Optional.empty());
    }

    /**
     * @param configHome {@code XDG_CONFIG_HOME} of the plan's host when it is set elsewhere than
     *                   {@code ~/.config}: the home's configuration then lies there (red team, round 25, F6)
     */
    FileFacts(EntryCache cache, java.util.Optional<Path> configHome) {
        this.cache = cache;
        this.configHome = configHome;
    }

    private final java.util.Optional<Path> configHome;

    /** Where the home's configuration lies besides {@code ~/.config}, when {@code XDG_CONFIG_HOME} moves it. */
    java.util.Optional<Path> configHome() {
        return configHome;
    }

    private MountTable mounts;

    /**
     * The mount table as this plan found it, read once (each read grant and each write grant asks:
     * reading it for each of them cost ~1 ms a plan); the next plan reads it afresh.
     */
    MountTable mounts() {
        if (mounts == null) {
            mounts = MountTable.current();
        }
        return mounts;
    }

    /** {@link ExecutableChain#shebang} of {@code script}: read once in the running plan; outside a plan, now. */
    static Optional<ExecutableChain.Shebang> shebangOf(Path script) {
        return PLAN.isBound() ? PLAN.get().shebang(script) : ExecutableChain.shebang(script);
    }

    /** {@link ExecutableChain#shebang} of {@code script}, read once in this plan. */
    Optional<ExecutableChain.Shebang> shebang(Path script) {
        Node node = node(script);
        if (node.shebang == null) {
            node.shebang = ExecutableChain.shebang(script);
        }
        return node.shebang;
    }

    private Node node(Path path) {
        Node node = nodes.get(path);
        if (node == null) {
            node = new Node();
            nodes.put(path, node);
        }
        return node;
    }

    /**
     * Marks paths a sandboxed command can write (the policy's write paths, as configured and
     * resolved): entries of directories in them are always asked of the kernel, even when the
     * directory's change time says they could be taken from the cache.
     */
    void neverCacheBelow(List<Path> roots) {
        for (Path root : roots) {
            Path absolute = root.toAbsolutePath().normalize();
            if (!uncachedRoots.contains(absolute)) {
                uncachedRoots.add(absolute);
            }
        }
        for (Node node : nodes.values()) {
            node.directory = null; // decided before these roots were known
        }
    }

    /** Forgets every answer of this plan (after the planner itself created a directory). */
    void forget() {
        nodes.clear();
        contents.clear();
        dataDirectories.clear();
        sensitiveLocations.clear();
        credentialLocations.clear();
        namedFiles.clear();
    }

    /*
     * What the planner computes from this plan's answers and asks for several times in one plan:
     * computed once, and dropped with the answers it was computed from (forget, and the plan's end).
     */
    private record DataDirectoriesOf(Path home, String pathVariable, Path workingDirectory) {}

    private final Map<DataDirectoriesOf, DataDirectories> dataDirectories = new HashMap<>();
    private final Map<Path, SensitiveLocations> sensitiveLocations = new HashMap<>();
    private final Map<Host, AwsEnvironment.CredentialLocations> credentialLocations = new IdentityHashMap<>();
    private final Map<Host, NamedFiles> namedFiles = new IdentityHashMap<>();

    /**
     * {@link DataDirectories#of} resolved with this plan's answers, once per plan for the same
     * arguments: the planted-link predicate and each judged working directory ask.
     */
    DataDirectories dataDirectories(Path home, String pathVariable, Path workingDirectory) {
        DataDirectoriesOf key = new DataDirectoriesOf(home, pathVariable, workingDirectory);
        DataDirectories known = dataDirectories.get(key);
        if (known == null) {
            known = DataDirectories.of(home, pathVariable, workingDirectory, path -> realOr(path, path));
            dataDirectories.put(key, known);
        }
        return known;
    }

    /**
     * {@link SensitiveLocations#of} with this plan's answers, once per plan for a home: the chain,
     * the working directory and the explicit grants ask (and it remembers its verdicts).
     */
    SensitiveLocations sensitiveLocations(Path home) {
        SensitiveLocations known = sensitiveLocations.get(home);
        if (known == null) {
            known = SensitiveLocations.of(home, this);
            sensitiveLocations.put(home, known);
        }
        return known;
    }

    /**
     * {@link AwsEnvironment.CredentialLocations#of} with this plan's answers, once per plan for a host
     * (the same {@code Host} object: the planner passes one): the grants, the kept paths and each
     * judged write path ask.
     */
    AwsEnvironment.CredentialLocations credentialLocations(Host host) {
        AwsEnvironment.CredentialLocations known = credentialLocations.get(host);
        if (known == null) {
            known = AwsEnvironment.CredentialLocations.of(host, this);
            credentialLocations.put(host, known);
        }
        return known;
    }

    /**
     * {@link NamedFiles#of} once per plan for a host (the AWS and ssh configs are read once): the
     * kept paths, the credential rule and each judged write path ask.
     */
    NamedFiles namedFiles(Host host) {
        NamedFiles known = namedFiles.get(host);
        if (known == null) {
            known = NamedFiles.of(host, sensitiveLocations(host.home()).homes());
            namedFiles.put(host, known);
        }
        return known;
    }

    private static boolean dots(Path name) {
        int hash = name.hashCode();
        return hash == DOT_HASH && name.equals(DOT) || hash == DOT_DOT_HASH && name.equals(DOT_DOT);
    }

    /**
     * {@code lstat(path)}, fresh in this plan (never from the process cache). Its directory is
     * examined first, if this plan has not yet: so every answer a plan holds about an entry is
     * younger than its directory's change time, which is what lets the entry be recorded in (and
     * anything computed from the plan's answers about a directory's entries be kept in) the cache.
     *
     * @throws IOException                   as {@link Files#readAttributes} would, e.g. {@link NoSuchFileException}
     * @throws UnsupportedOperationException on a file system without the {@code unix} view
     */
    Stat stat(Path path) throws IOException {
        Node node = node(path);
        if (node.stat == null) {
            Path parent = path.getParent();
            boolean entry = parent != null && plain(path);
            statIn(entry ? directory(parent, true) : null, path, node, entry ? path.getFileName() : null);
        }
        return rethrow(node.stat, path);
    }

    private static Stat rethrow(Object known, Path path) throws IOException {
        return switch (known) {
            case Stat s -> s;
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new Missing(path); // MISSING, as the JDK words it
        };
    }

    /**
     * "No such file", as the JDK words it, without a stack trace: most paths a plan asks about are absent, and filling
     * in the trace of each was a fifth of what a plan allocated. The callers catch it; none prints it.
     */
    private static final class Missing extends NoSuchFileException {
        private static final long serialVersionUID = 1L;

        Missing(Path path) {
            super(path.toString());
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /**
     * The {@code lstat} system call for {@code path}, remembered in its node and, when
     * {@code directory} (its directory's cache, examined before this call) is given, recorded there.
     */
    private Object statIn(EntryCache.Directory directory, Path path, Node node, Path name) {
        long now = System.currentTimeMillis();
        Object known = NativeLstat.lstat(path, now);
        if (known instanceof Integer errno) {
            // ENOTDIR (a path below a file, such as a plugin directory's '.gitignore/bin', asked in every plan) is what
            // the JDK reports it as: NoSuchFileException
            known = errno == NativeLstat.ENOENT || errno == NativeLstat.ENOTDIR ? MISSING : jdkLstat(path, now);
        }
        node.stat = known;
        if (directory != null) {
            if (known instanceof Stat s) {
                directory.record(name, s.kind());
            } else if (known == MISSING || known instanceof NoSuchFileException) {
                directory.record(name, Kind.ABSENT);
            }
        }
        return known;
    }

    /** {@code lstat} through the JDK: a {@link Stat}, or the exception it threw. */
    private static Object jdkLstat(Path path, long now) {
        try {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Long) a.get("dev"),
                    (Long) a.get("ino"), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), now);
        } catch (IOException | UnsupportedOperationException e) {
            return e;
        }
    }

    /**
     * The type {@code lstat(path)} would report: from this plan's own {@link #stat} if it made one,
     * else from the process cache when {@code path}'s directory is unchanged, else by {@link #stat}.
     * {@code lstat(dir/name)} is {@code lstat(realpath(dir)/name)}, so the entry is looked up in
     * the resolved directory ({@code /bin/true} in {@code /usr/bin}).
     */
    Kind kind(Path path) {
        Node node = node(path);
        if (node.stat != null) {
            return kindOf(node.stat);
        }
        Path parent = path.getParent();
        Path name = path.getFileName();
        if (parent != null && parent.isAbsolute() && plain(path) && !dots(name)) {
            Resolved above = resolvedPlain(parent);
            if (above.real() != null) {
                if (above.kind() != Kind.DIRECTORY) {
                    return Kind.ERROR; // ENOTDIR
                }
                Path real = above.real();
                return real.equals(parent) ? kindIn(real, path, node, name) : kindIn(real, real.resolve(name), null, name);
            }
        }
        try { // the exact error, or an unusual path: ask the kernel as it is
            return stat(path).kind();
        } catch (NoSuchFileException e) {
            return Kind.ABSENT;
        } catch (IOException | UnsupportedOperationException e) {
            return Kind.ERROR;
        }
    }

    /** {@link #kind} of {@code next}, the entry {@code name} of the directory path {@code dir} (its node, if known). */
    private Kind kindIn(Path dir, Path next, Node node, Path name) {
        if (node == null) {
            node = node(next);
        }
        if (node.stat != null) {
            return kindOf(node.stat);
        }
        EntryCache.Directory directory = directory(dir, true);
        if (directory != null) {
            Kind cached = directory.kind(name);
            if (cached != null) {
                return cached;
            }
        }
        return kindOf(statIn(directory, next, node, name));
    }

    private static Kind kindOf(Object known) {
        return switch (known) {
            case Stat s -> s.kind();
            case NoSuchFileException e -> Kind.ABSENT;
            default -> known == MISSING ? Kind.ABSENT : Kind.ERROR;
        };
    }

    /** The type {@code path}'s {@code lstat} has when it is already known (this plan or the cache) and costs nothing; else empty. */
    Optional<Kind> knownKind(Path path) {
        Node node = nodes.get(path);
        if (node != null && node.stat != null) {
            return Optional.of(kindOf(node.stat));
        }
        Path parent = path.getParent();
        if (parent == null || !plain(path)) {
            return Optional.empty();
        }
        EntryCache.Directory directory = directoryIfExamined(parent);
        return directory == null ? Optional.empty() : Optional.ofNullable(directory.kind(path.getFileName()));
    }

    /** {@code readlink(path)}, as {@link Files#readSymbolicLink} returns it. */
    Path readLink(Path path) throws IOException {
        Path parent = path.getParent();
        if (parent == null || !plain(path)) {
            return readLinkIn(null, path, null);
        }
        return readLinkIn(parent, path, path.getFileName());
    }

    private Path readLinkIn(Path dir, Path path, Path name) throws IOException {
        Node node = node(path);
        if (node.link == null) {
            EntryCache.Directory directory = dir == null ? null : directory(dir, true);
            Path cached = directory == null ? null : directory.target(name);
            if (cached != null) {
                node.link = cached;
            } else {
                try {
                    Path target = Files.readSymbolicLink(path);
                    node.link = target;
                    if (directory != null) {
                        directory.recordTarget(name, target);
                    }
                } catch (IOException e) {
                    node.link = e;
                }
            }
        }
        if (node.link instanceof IOException e) {
            throw e;
        }
        return (Path) node.link;
    }

    /**
     * The first of {@code names} that exists in {@code dir} ({@code lstat}, not following a
     * symlink), in that order: {@code dir.resolve(name)}, or empty.
     */
    Optional<Path> firstExisting(Path dir, List<String> names) {
        Node known = nodes.get(dir);
        if (known != null && known.resolved != null && dir.equals(known.resolved.real())
                && (known.resolved.kind() == Kind.REGULAR || known.resolved.kind() == Kind.OTHER)) {
            // this plan already found dir to be a file (a file grant): nothing is in it (ENOTDIR), as
            // the look-ups below would find, without examining it again
            return Optional.empty();
        }
        EntryCache.Directory directory = plain(dir) ? directory(dir, true) : null;
        if (directory != null) {
            Integer index = directory.derived(names);
            if (index != null) {
                return index < 0 ? Optional.empty() : Optional.of(dir.resolve(names.get(index)));
            }
        }
        int found = -1;
        boolean errors = false;
        for (int i = 0; i < names.size() && found < 0; i++) {
            Kind kind = kind(dir.resolve(names.get(i)));
            errors |= kind == Kind.ERROR;
            if (kind != Kind.ABSENT && kind != Kind.ERROR) {
                found = i;
            }
        }
        if (directory != null && !errors) {
            directory.recordDerived(names, found);
        }
        return found < 0 ? Optional.empty() : Optional.of(dir.resolve(names.get(found)));
    }

    /**
     * The entries of the directory {@code dir} (resolved: not followed if it is a symlink), sorted
     * as {@code Files.list(dir).sorted()} sorts them; empty when it is no directory or cannot be
     * listed. Which names a directory holds is what {@link EntryCache} may keep: taken from it while
     * the directory's {@code lstat} of this plan shows it unchanged, and listed afresh otherwise
     * (always for a directory that is not cached: writable by others, or in a write path).
     */
    List<Path> list(Path dir) {
        if (kind(dir) != Kind.DIRECTORY) {
            return List.of();
        }
        EntryCache.Directory directory = plain(dir) ? directory(dir, true) : null;
        List<Path> names = directory == null ? null : directory.names();
        if (names == null) {
            names = listNow(dir, Integer.MAX_VALUE - 1); // never TOO_MANY
            if (names == null) {
                return List.of();
            }
            if (directory != null) {
                directory.recordNames(names);
            }
        }
        List<Path> entries = new ArrayList<>(names.size());
        for (Path name : names) {
            entries.add(dir.resolve(name));
        }
        return entries;
    }

    /**
     * The names in the directory {@code path} leads to, following symbolic links as {@code opendir} does ({@link
     * Files#list}), sorted: in the running plan from its facts and, where that directory is unchanged, from the process
     * cache ({@link #list}'s rule); outside a plan, listed now. None where {@code path} leads to no directory or it
     * cannot be listed; null where it holds more than {@code most} entries (a listing the caller bounds). The start-up
     * files' readers list the same directories of the home at each of a plan's readings and in every plan (a fifth of
     * a plan with this VM's home had been listing {@code ~/.pyenv/shims} and making paths of its names).
     */
    static List<Path> namesIn(Path path, int most) {
        if (!PLAN.isBound()) {
            List<Path> names = Files.isDirectory(path) ? listNow(path, most) : List.of();
            return names == null ? List.of() : names == TOO_MANY ? null : names;
        }
        FileFacts facts = PLAN.get();
        Path dir = facts.real(path).orElse(null);
        if (dir == null || facts.kind(dir) != Kind.DIRECTORY) {
            return List.of();
        }
        EntryCache.Directory directory = plain(dir) ? facts.directory(dir, true) : null;
        List<Path> names = directory == null ? null : directory.names();
        if (names == null) {
            names = listNow(dir, most);
            if (names == null) {
                return List.of(); // it could not be listed: not recorded (an error is no answer the cache keeps)
            }
            if (names == TOO_MANY) {
                return null;
            }
            if (directory != null) {
                directory.recordNames(names);
            }
        }
        return names.size() <= most ? names : null;
    }

    /** {@link #listNow(Path, int)}'s answer for a directory past the bound. */
    private static final List<Path> TOO_MANY = List.of(Path.of("too many"));

    /**
     * The names in {@code dir} now, sorted; null where it cannot be listed (an error is no answer the cache keeps);
     * {@link #TOO_MANY} past {@code most} entries.
     */
    private static List<Path> listNow(Path dir, int most) {
        List<NativeDirectory.Entry> listed = NativeDirectory.entries(dir, most + 1).orElse(null);
        if (listed == null) {
            return null;
        }
        if (listed.size() > most) {
            return TOO_MANY;
        }
        List<Path> names = new ArrayList<>(listed.size());
        for (NativeDirectory.Entry entry : listed) {
            names.add(entry.name());
        }
        names.sort(null);
        return List.copyOf(names);
    }

    /** {@link Files#exists}: following symlinks, or not. */
    boolean exists(Path path, boolean followLinks) {
        if (followLinks) {
            return real(path).isPresent();
        }
        Kind kind = kind(path);
        return kind != Kind.ABSENT && kind != Kind.ERROR;
    }

    /** {@link Files#isDirectory}: following symlinks, or not. */
    boolean isDirectory(Path path, boolean followLinks) {
        return is(path, followLinks, Kind.DIRECTORY);
    }

    /** {@link Files#isRegularFile}: following symlinks, or not. */
    boolean isRegularFile(Path path, boolean followLinks) {
        return is(path, followLinks, Kind.REGULAR);
    }

    private boolean is(Path path, boolean followLinks, Kind wanted) {
        if (!followLinks) {
            return kind(path) == wanted;
        }
        return resolved(path).kind() == wanted;
    }

    /** What {@link #real} leads to ({@link Kind#DIRECTORY}, {@link Kind#REGULAR} or {@link Kind#OTHER}); empty where it leads nowhere. */
    Optional<Kind> realKind(Path path) {
        Resolved resolved = resolved(path);
        boolean there = resolved.real() != null && resolved.kind() != Kind.ABSENT && resolved.kind() != Kind.ERROR;
        return there ? Optional.of(resolved.kind()) : Optional.empty();
    }

    /** {@link Path#toRealPath()}, or {@code fallback} where that would throw. */
    Path realOr(Path path, Path fallback) {
        return real(path).orElse(fallback);
    }

    /**
     * Where a file created through {@code path} would land: its real path when it resolves; else,
     * through a dangling symbolic link (or a chain of them: {@link PathWalk}), the
     * missing target, under its parent's real path. {@code ~/.aws/config -> ~/dots/aws-config} with
     * no {@code aws-config} yet: a command run in {@code ~/dots} could create the AWS CLI's
     * configuration (red team, round 21, F2). The plan's answers, one entry at a time.
     */
    Path whereCreated(Path path) {
        return PathWalk.of(path, this).end();
    }

    /** {@link Path#toRealPath()}, or the path made absolute and normalized where that would throw. */
    Path realOrNormalized(Path path) {
        Path real = resolved(path).real();
        return real != null ? real : path.toAbsolutePath().normalize();
    }

    /**
     * {@link Path#toRealPath()} (glibc {@code realpath}: every symlink followed, {@code ..} taken
     * physically, {@code ENOTDIR} for a non-directory followed by more components, at most
     * {@value #MAX_LINKS} links in all); empty where it would throw.
     */
    Optional<Path> real(Path path) {
        return Optional.ofNullable(resolved(path).real());
    }

    /** {@link #resolvedPlain}, for any path: one that is not plain is resolved by the JDK. */
    private Resolved resolved(Path path) {
        Path absolute = path.toAbsolutePath();
        Node node = node(absolute);
        if (node.resolved == null) {
            node.resolved = plain(absolute) ? resolvedPlain(absolute, node) : jdkRealPath(absolute);
        }
        return node.resolved;
    }

    private Resolved resolvedPlain(Path absolute) {
        return resolvedPlain(absolute, node(absolute));
    }

    /**
     * {@code realpath(absolute)} as {@code realpath(realpath(parent)/name)}: the parent is
     * resolved once for every path below it, so {@code /etc/hosts} and {@code /etc/passwd} share
     * {@code /etc}. Symlinks followed count towards the one limit, as in glibc.
     */
    private Resolved resolvedPlain(Path absolute, Node node) {
        if (node.resolved != null) {
            return node.resolved;
        }
        Path parent = absolute.getParent();
        Resolved result;
        if (parent == null) {
            result = new Resolved(absolute, 0, Kind.DIRECTORY); // the root
        } else {
            Resolved above = resolvedPlain(parent); // the parent of a plain path is plain
            result = above.real() == null || above.kind() != Kind.DIRECTORY
                    ? UNRESOLVED // ENOENT, or ENOTDIR: a component follows a file
                    : walk(above.real(), above.links(), absolute.getFileName());
        }
        node.resolved = result;
        return result;
    }

    /** Resolves {@code first} in the resolved directory {@code start}, following symlinks component by component. */
    private Resolved walk(Path start, int links, Path first) {
        if (!dots(first)) { // the common case: a name that is no symlink, found or not
            Path next = start.resolve(first);
            Kind found = kindIn(start, next, null, first);
            switch (found) {
                case DIRECTORY, REGULAR, OTHER -> {
                    return new Resolved(next, links, found);
                }
                case SYMLINK -> { } // followed below
                default -> {
                    return UNRESOLVED; // ENOENT, EACCES, ...
                }
            }
        }
        Path root = start.getRoot();
        Path current = start;
        Kind kind = Kind.DIRECTORY;
        Deque<Path> pending = new ArrayDeque<>();
        pending.add(first);
        while (!pending.isEmpty()) {
            Path name = pending.removeFirst();
            int hash = name.hashCode();
            if (hash == DOT_HASH && name.equals(DOT)) {
                continue; // current is a directory here: a file with components after it has failed below
            }
            if (hash == DOT_DOT_HASH && name.equals(DOT_DOT)) {
                current = current.getParent() == null ? root : current.getParent();
                kind = Kind.DIRECTORY;
                continue;
            }
            Path next = current.resolve(name);
            Kind found = kindIn(current, next, null, name);
            switch (found) {
                case DIRECTORY -> {
                    current = next;
                    kind = Kind.DIRECTORY;
                }
                case SYMLINK -> {
                    if (++links > MAX_LINKS) {
                        return UNRESOLVED; // ELOOP
                    }
                    Path target;
                    try {
                        target = readLinkIn(current, next, name);
                    } catch (IOException e) {
                        return UNRESOLVED;
                    }
                    if (target.toString().isEmpty()) {
                        return UNRESOLVED; // an empty symlink resolves to nothing (ENOENT)
                    }
                    if (!plain(target)) {
                        // "a//b", "dir/": let the JDK (glibc realpath) give the kernel's reading
                        Path rest = next;
                        for (Path later : pending) {
                            rest = rest.resolve(later);
                        }
                        return jdkRealPath(rest);
                    }
                    List<Path> names = new ArrayList<>();
                    target.forEach(names::add);
                    for (int i = names.size() - 1; i >= 0; i--) {
                        pending.addFirst(names.get(i));
                    }
                    if (target.isAbsolute()) {
                        current = root;
                        kind = Kind.DIRECTORY;
                    }
                }
                case REGULAR, OTHER -> {
                    if (!pending.isEmpty()) {
                        return UNRESOLVED; // ENOTDIR: more components after a file
                    }
                    current = next;
                    kind = found;
                }
                default -> {
                    return UNRESOLVED; // ENOENT, EACCES, ...
                }
            }
        }
        return new Resolved(current, links, kind);
    }

    /** A path whose text has no empty component and no trailing slash (what {@link Path#of} builds). */
    private static boolean plain(Path path) {
        String text = path.toString();
        return !text.contains("//") && (text.length() <= 1 || !text.endsWith("/"));
    }

    private Resolved jdkRealPath(Path absolute) {
        try {
            Path real = absolute.toRealPath();
            return new Resolved(real, 0, kind(real));
        } catch (IOException | SecurityException e) {
            return UNRESOLVED;
        }
    }

    private boolean belowUncachedRoot(Path dir) {
        for (Path root : uncachedRoots) {
            if (dir.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #directory} of a directory this plan has already examined; null otherwise. */
    private EntryCache.Directory directoryIfExamined(Path dir) {
        Node node = nodes.get(dir);
        if (node == null || node.stat == null) {
            return null;
        }
        if (node.directory != null) {
            return node.directory == NOT_CACHED ? null : (EntryCache.Directory) node.directory;
        }
        return plain(dir) ? directory(dir, false) : null;
    }

    /**
     * The cache of the directory path {@code dir}, when entries in it may be taken from (or
     * recorded in) the process cache: its {@code lstat} in this plan shows a directory that is not
     * writable by group or others, not in a path this plan's command may write, and settled
     * ({@link EntryCache}); null otherwise. {@code statIt}: examine {@code dir} now if this plan has
     * not yet (an entry is only ever recorded after its directory was examined, so that the
     * directory's change time covers it). {@code dir} must be plain.
     */
    private EntryCache.Directory directory(Path dir, boolean statIt) {
        Node node = node(dir);
        if (node.directory != null) {
            return node.directory == NOT_CACHED ? null : (EntryCache.Directory) node.directory;
        }
        if (node.stat == null) {
            if (!statIt) {
                return null;
            }
            try {
                stat(dir);
            } catch (IOException | UnsupportedOperationException e) {
                // examined: it is no directory we can cache
            }
        }
        EntryCache.Directory directory = null;
        if (node.stat instanceof Stat s && s.isDirectory() && !s.groupWritable() && !s.othersWritable()
                && !belowUncachedRoot(dir)) {
            directory = cache.directory(s);
        }
        node.directory = directory == null ? NOT_CACHED : directory;
        return directory;
    }
}
