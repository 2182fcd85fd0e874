package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one thing the planner remembers across plans: for a directory, which of the names it was
 * asked about exist, their file types and, for symlinks, their targets — valid only while the
 * directory's own {@code lstat}, made afresh in each plan, shows the same device, inode and
 * change time ({@code ctime}).
 *
 * <p><b>Why a change on disk is always seen.</b> A name can appear, disappear or lead elsewhere
 * only by a link, unlink, rename or symlink in its directory, and each of those sets the
 * directory's {@code ctime} (and {@code mtime}) to the current time; a file's type and a
 * symlink's target cannot change in place (a new target is a new symlink, made in the
 * directory). {@code ctime}, unlike {@code mtime}, cannot be set back by {@code utimensat} or
 * {@code touch}: it is set to "now" by every change, including {@code chmod}/{@code chown} of the
 * directory. What a cache entry does <em>not</em> cover — a file's mode, owner or content, a
 * subdirectory's own entries — is read fresh in every plan ({@link FileFacts#stat}) or keyed by
 * that subdirectory's own change time.
 *
 * <p><b>Timestamps are coarse.</b> The kernel stamps {@code ctime} from a clock that advances once
 * per tick (1–10 ms; some file systems round further, FAT to 2 s), so two changes within one tick
 * can leave the same {@code ctime}. A directory is therefore cached only once it has
 * <em>settled</em>: its {@code ctime} is more than {@value #SETTLE_MILLIS} ms older than the
 * moment this plan examined it. Any later change then stamps a strictly later time, so what was
 * recorded under the old stamp is never served after it. Directories in active use (a project
 * a command is writing, {@code /tmp}) are simply not cached. Residual assumption, stated: the
 * file system maintains {@code ctime} as POSIX requires and its clock does not run backwards
 * (a network file system whose server clock lags this host's by more than the settling time,
 * and that changes a directory twice within one of its ticks, could defeat it).
 *
 * <p>Also never cached (by {@link FileFacts}): directories writable by group or others
 * ({@code /tmp}), directories in or below the plan's own write paths, error answers other than
 * "no such file", and the {@code .git} scan ({@link GitMetadata} does not use this class).
 *
 * <p>Bounded: at most {@value #MAX_DIRECTORIES} directories and {@value #MAX_NAMES} names each;
 * beyond that the cache is emptied (or a name is not recorded), which only costs system calls.
 */
final class EntryCache {
    static final long SETTLE_MILLIS = 5_000;
    static final int MAX_DIRECTORIES = 4_096;
    static final int MAX_NAMES = 1_024;

    /** The cache every plan of this process shares. */
    static final EntryCache PROCESS = new EntryCache(SETTLE_MILLIS);

    private final long settleMillis;
    private final ConcurrentHashMap<Key, Directory> directories = new ConcurrentHashMap<>();
    private final LongAdder answers = new LongAdder();

    /** @param settleMillis how much older than its examination a directory's ctime must be (tests: 0) */
    EntryCache(long settleMillis) {
        this.settleMillis = settleMillis;
    }

    private record Key(long dev, long ino) {}

    /** How many answers came from this cache instead of the kernel (for tests). */
    long answers() {
        return answers.sum();
    }

    /**
     * The entries known of the directory {@code dir} ({@code lstat} of this plan) describes, or
     * null when it has not settled. Entries recorded under another change time are dropped.
     */
    Directory directory(FileFacts.Stat dir) {
        if (Math.floorDiv(dir.ctime(), 1_000_000L) >= dir.observedAt() - settleMillis) {
            return null;
        }
        Key key = new Key(dir.dev(), dir.ino());
        Directory known = directories.get(key);
        if (known != null && known.ctime == dir.ctime()) {
            return known;
        }
        if (directories.size() >= MAX_DIRECTORIES) {
            directories.clear();
        }
        Directory fresh = new Directory(dir.ctime(), answers);
        directories.put(key, fresh);
        return fresh;
    }

    /** One directory's entries as recorded while its change time was {@link #ctime}. */
    static final class Directory {
        private final long ctime;
        private final LongAdder answers;
        private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();
        /** Answers computed only from this directory's entries (which of a list of names exists first). */
        private final ConcurrentHashMap<java.util.List<String>, Integer> derived = new ConcurrentHashMap<>();
        /** Every name it holds, when it was listed whole. */
        private volatile java.util.List<Path> names;

        private Directory(long ctime, LongAdder answers) {
            this.ctime = ctime;
            this.answers = answers;
        }

        private record Entry(FileFacts.Kind kind, Path target) {}

        FileFacts.Kind kind(Path name) {
            Entry entry = entries.get(name);
            return entry == null ? null : answered(entry.kind());
        }

        Path target(Path name) {
            Entry entry = entries.get(name);
            return entry == null ? null : answered(entry.target());
        }

        private <T> T answered(T answer) {
            if (answer != null) {
                answers.increment();
            }
            return answer;
        }

        void record(Path name, FileFacts.Kind kind) {
            Entry old = entries.get(name);
            if ((old == null || old.kind() != kind) && entries.size() < MAX_NAMES) {
                entries.put(name, new Entry(kind, null));
            }
        }

        void recordTarget(Path name, Path target) {
            if (entries.size() < MAX_NAMES) {
                entries.put(name, new Entry(FileFacts.Kind.SYMLINK, target));
            }
        }

        /** All the names this directory holds, sorted, if recorded. */
        java.util.List<Path> names() {
            return answered(names);
        }

        void recordNames(java.util.List<Path> all) {
            if (all.size() <= MAX_NAMES) {
                names = java.util.List.copyOf(all);
            }
        }

        /** The index of the first of {@code names} that exists here (-1: none), if recorded. */
        Integer derived(java.util.List<String> names) {
            return answered(derived.get(names));
        }

        void recordDerived(java.util.List<String> names, int firstExisting) {
            if (derived.size() < MAX_NAMES) {
                derived.put(java.util.List.copyOf(names), firstExisting);
            }
        }
    }
}
