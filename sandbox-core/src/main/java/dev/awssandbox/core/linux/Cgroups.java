package dev.awssandbox.core.linux;

import dev.awssandbox.core.posix.JvmTag;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cgroups aws-sandbox creates for its commands: one per command, beneath one directory per
 * JVM, each with a process-count bound ({@code pids}) and, where the memory controller is
 * there, a memory bound. Unlike RLIMIT_NPROC, a pids cgroup holds root too and counts only the
 * command's own tree; it also lets us kill every process the command left behind, even one that
 * changed its session.
 *
 * <p>Where: cgroup v2 (pure or the unified half of a hybrid host) when its root lets children use
 * {@code pids}: a directory {@code aws-sandbox-PID} directly beneath the root (creating it needs
 * root; a user with a delegated subtree names it in {@code AWS_SANDBOX_CGROUP}). Otherwise cgroup
 * v1's {@code pids} (and {@code memory}) hierarchies, beneath the JVM's own cgroup there. We never
 * write to a cgroup we did not create (the delegated directory's {@code cgroup.subtree_control}
 * excepted: delegation exists for that), and remove ours when their command ends, at exit, or —
 * after a JVM was killed — when the next JVM starts.
 */
public final class Cgroups {
    /** Names the delegated cgroup v2 directory an unprivileged user may offer. */
    public static final String ENV_VAR = "AWS_SANDBOX_CGROUP";
    private static final String PREFIX = "aws-sandbox-";
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Set<CommandCgroup> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Layout layout;
    /** Cgroups made ahead: at most this many for one kind of bounds, and kept for this many kinds. */
    private static final int SPARES_PER_KIND = 2;
    private static final int MAX_SPARE_KINDS = 8;
    private static final Map<Bounds, Spares> SPARES = new ConcurrentHashMap<>();
    private static volatile boolean removing;

    private Cgroups() {}

    /** Where per-command cgroups go, or why there are none. */
    public sealed interface Layout {
        /** Directories of this JVM; each command gets a child in every one. */
        record Available(String description, List<Path> bases, boolean v2, boolean memory) implements Layout {}

        record Unavailable(String reason) implements Layout {}
    }

    /** Discovered (and this JVM's directories created) on first use. */
    public static Layout layout() {
        Layout l = layout;
        if (l == null) {
            synchronized (Cgroups.class) {
                l = layout;
                if (l == null) {
                    l = discover(System.getenv(ENV_VAR));
                    layout = l;
                    if (l instanceof Layout.Available available) {
                        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("aws-sandbox-cgroups-cleanup")
                                .unstarted(() -> removeAll(available)));
                    }
                }
            }
        }
        return l;
    }

    /**
     * A fresh cgroup for one command with at most {@code processes} tasks (processes and threads)
     * and, when the memory controller is available, {@code memoryBytes}; empty when no cgroup can
     * be made here ({@link #layout()} says why).
     */
    public static Optional<CommandCgroup> create(OptionalLong processes, OptionalLong memoryBytes) throws IOException {
        if (!(layout() instanceof Layout.Available available)) {
            return Optional.empty();
        }
        Bounds bounds = new Bounds(processes, memoryBytes);
        Spares spares = SPARES.size() < MAX_SPARE_KINDS ? SPARES.computeIfAbsent(bounds, b -> new Spares()) : SPARES.get(bounds);
        if (spares == null) {
            return Optional.of(make(available, bounds));
        }
        CommandCgroup spare = spares.ready.poll();
        if (spares.askedBefore.getAndSet(true)) {
            refill(spares, available, bounds);
        }
        return Optional.of(spare != null ? spare : make(available, bounds));
    }

    /** The bounds a command's cgroup is made with: cgroups made ahead are kept apart by them. */
    private record Bounds(OptionalLong processes, OptionalLong memoryBytes) {}

    /**
     * Cgroups made ahead, on a thread of their own, for bounds that were asked for more than once
     * (a JVM that runs one command makes none it does not use). Each is fresh: made for one
     * command and removed after it, never reused, so no counter or charge of an earlier command
     * is in it. Making one (directories in each hierarchy, the bounds written) is then off the
     * spawning caller's path.
     */
    private static final class Spares {
        final AtomicBoolean askedBefore = new AtomicBoolean();
        final ConcurrentLinkedQueue<CommandCgroup> ready = new ConcurrentLinkedQueue<>();
        final AtomicBoolean refilling = new AtomicBoolean();
        /** Why the last refill stopped short (the next ask starts another), or null. */
        volatile String lastFailure;
    }

    /**
     * For tests and diagnosis: the spares ready for each kind of bounds, whether a refill runs, and
     * why the last one stopped short.
     */
    static String sparesReport() {
        StringBuilder report = new StringBuilder();
        SPARES.forEach((bounds, spares) -> report.append(bounds).append(": ready ").append(spares.ready.size())
                .append(spares.refilling.get() ? ", refilling" : "")
                .append(spares.lastFailure == null ? "" : ", last refill failed: " + spares.lastFailure).append('\n'));
        return report.toString();
    }

    private static void refill(Spares spares, Layout.Available available, Bounds bounds) {
        if (!spares.refilling.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("aws-sandbox-cgroup-spares").start(() -> {
            boolean made = false;
            try {
                while (!removing && spares.ready.size() < SPARES_PER_KIND) {
                    spares.ready.add(make(available, bounds));
                }
                made = true;
            } catch (IOException | RuntimeException e) {
                // the next command makes its own, inline, and reports what fails; its ask starts another refill
                spares.lastFailure = e.toString();
            } finally {
                spares.refilling.set(false);
            }
            // a command that took a spare after the loop's last look and before the flag was cleared
            // found a refill running and started none: look once more, or the kind stays one short
            if (made && !removing && spares.ready.size() < SPARES_PER_KIND) {
                refill(spares, available, bounds);
            }
        });
    }

    private static CommandCgroup make(Layout.Available available, Bounds bounds) throws IOException {
        OptionalLong processes = bounds.processes();
        OptionalLong memoryBytes = bounds.memoryBytes();
        String name = "c" + SEQUENCE.incrementAndGet();
        List<Path> dirs = new ArrayList<>();
        boolean pidsBound = false;
        try {
            for (Path base : available.bases()) {
                Path dir = base.resolve(name);
                Files.createDirectory(dir);
                dirs.add(dir);
                if (processes.isPresent() && Files.exists(dir.resolve("pids.max"))) {
                    write(dir.resolve("pids.max"), Long.toString(processes.getAsLong()));
                    pidsBound = true;
                }
                if (memoryBytes.isPresent()) {
                    long bytes = memoryBytes.getAsLong();
                    if (available.v2() && Files.exists(dir.resolve("memory.max"))) {
                        write(dir.resolve("memory.max"), Long.toString(bytes));
                        writeIfPresent(dir.resolve("memory.swap.max"), "0"); // the bound is memory, not memory plus swap
                        writeIfPresent(dir.resolve("memory.oom.group"), "1"); // an OOM kills the whole command
                    } else if (Files.exists(dir.resolve("memory.limit_in_bytes"))) {
                        write(dir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
                        writeIfPresent(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
                        // v1 charges socket buffers only to their own counter (v2 counts them in
                        // memory.max): a sender that never drained queued 259 MB under a 64 MB bound
                        writeIfPresent(dir.resolve("memory.kmem.tcp.limit_in_bytes"), Long.toString(bytes));
                    }
                }
            }
        } catch (IOException e) {
            new CommandCgroup(dirs, available.v2(), false).close();
            throw e;
        }
        CommandCgroup cgroup = new CommandCgroup(dirs, available.v2(), pidsBound);
        LIVE.add(cgroup);
        return cgroup;
    }

    static void forget(CommandCgroup cgroup) {
        LIVE.remove(cgroup);
    }

    static Layout discover(String delegated) {
        List<Mount> mounts = mounts();
        Map<String, String> own = ownCgroups();
        String tag = JvmTag.current();
        List<String> reasons = new ArrayList<>();

        Optional<Mount> v2 = mounts.stream().filter(m -> m.fsType().equals("cgroup2")).findFirst();
        if (v2.isPresent()) {
            Path root = v2.get().mountPoint();
            if (delegated != null && !delegated.isBlank()) {
                Path dir = Path.of(delegated);
                if (!dir.isAbsolute()) {
                    dir = root.resolve(delegated.replaceFirst("^/+", ""));
                }
                Optional<Layout> l = v2Layout(dir, tag, "cgroup v2, delegated " + dir, reasons);
                if (l.isPresent()) {
                    return l.get();
                }
            }
            if (controllers(root.resolve("cgroup.subtree_control")).contains("pids")) {
                Optional<Layout> l = v2Layout(root, tag, "cgroup v2", reasons);
                if (l.isPresent()) {
                    return l.get();
                }
            } else {
                reasons.add("cgroup v2 at " + root + " offers no pids controller to its children");
            }
        }
        Optional<Mount> pids = mounts.stream().filter(m -> m.fsType().equals("cgroup") && m.options().contains("pids")).findFirst();
        if (pids.isPresent() && own.containsKey("pids")) {
            Path base = pids.get().mountPoint().resolve(own.get("pids").replaceFirst("^/+", "")).resolve(PREFIX + tag);
            try {
                removeStale(base.getParent());
                Files.createDirectories(base);
                List<Path> bases = new ArrayList<>(List.of(base));
                boolean memory = false;
                Optional<Mount> mem = mounts.stream()
                        .filter(m -> m.fsType().equals("cgroup") && m.options().contains("memory")).findFirst();
                if (mem.isPresent() && own.containsKey("memory")) {
                    Path memBase = mem.get().mountPoint().resolve(own.get("memory").replaceFirst("^/+", ""))
                            .resolve(PREFIX + tag);
                    try {
                        removeStale(memBase.getParent());
                        Files.createDirectories(memBase);
                        bases.add(memBase);
                        memory = true;
                    } catch (IOException e) {
                        reasons.add("cgroup v1 memory: " + e.getMessage());
                    }
                }
                return new Layout.Available("cgroup v1 (pids" + (memory ? ", memory" : "") + ") beneath " + base.getParent(),
                        bases, false, memory);
            } catch (IOException e) {
                reasons.add("cgroup v1 pids: cannot create " + base + " (" + e.getClass().getSimpleName() + ")");
            }
        } else if (pids.isEmpty() && v2.isEmpty()) {
            reasons.add("no cgroup file system is mounted");
        }
        return new Layout.Unavailable(String.join("; ", reasons));
    }

    private static Optional<Layout> v2Layout(Path parent, String tag, String what, List<String> reasons) {
        Path base = parent.resolve(PREFIX + tag);
        try {
            removeStale(parent);
            Files.createDirectories(base);
            Set<String> available = controllers(base.resolve("cgroup.controllers"));
            boolean memory = available.contains("memory");
            if (!available.contains("pids")) {
                Files.deleteIfExists(base);
                reasons.add(what + ": no pids controller beneath " + parent);
                return Optional.empty();
            }
            write(base.resolve("cgroup.subtree_control"), memory ? "+pids +memory" : "+pids");
            return Optional.of(new Layout.Available(what + " beneath " + parent, List.of(base), true, memory));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(base);
            } catch (IOException ignored) {
                // not ours to fix
            }
            reasons.add(what + ": cannot create " + base + " (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    /** Directories named for JVMs that are gone: kill what is left in them and remove them. */
    private static void removeStale(Path parent) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : dirs) {
                // a JVM of another pid namespace may be alive: its cgroups are not ours to empty (JvmTag)
                if (JvmTag.isGone(dir.getFileName().toString().substring(PREFIX.length()))) {
                    removeTree(dir, Files.exists(dir.resolve("cgroup.controllers"))); // only v2 has it
                }
            }
        } catch (IOException e) {
            // nothing to clean
        }
    }

    private static void removeAll(Layout.Available layout) {
        removing = true; // no more spares: one made after this pass would outlive the JVM (the next JVM would remove it)
        for (CommandCgroup cgroup : List.copyOf(LIVE)) {
            cgroup.close();
        }
        for (Path base : layout.bases()) {
            removeTree(base, layout.v2());
        }
    }

    private static void removeTree(Path base, boolean v2) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(base, p -> Files.isDirectory(p))) {
            for (Path child : children) {
                new CommandCgroup(List.of(child), v2, false).close();
            }
        } catch (IOException e) {
            // gone
        }
        try {
            Files.deleteIfExists(base);
        } catch (IOException e) {
            // a task survived; the next JVM tries again
        }
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    private static void writeIfPresent(Path file, String value) {
        if (Files.exists(file)) {
            try {
                write(file, value);
            } catch (IOException e) {
                // optional knob
            }
        }
    }

    private static Set<String> controllers(Path file) {
        try {
            return Set.of(KernelFiles.read(file).strip().split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    record Mount(Path mountPoint, String fsType, Set<String> options) {}

    /** cgroup file systems from /proc/self/mountinfo ("... mountpoint ... - fstype source superopts"). */
    static List<Mount> mounts() {
        List<Mount> mounts = new ArrayList<>();
        try {
            for (String line : KernelFiles.read(Path.of("/proc/self/mountinfo")).split("\n")) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] left = line.substring(0, dash).split(" ");
                String[] right = line.substring(dash + 3).split(" ");
                if (left.length < 5 || right.length < 3 || !right[0].startsWith("cgroup")) {
                    continue;
                }
                mounts.add(new Mount(Path.of(unescape(left[4])), right[0], Set.of(right[2].split(","))));
            }
        } catch (IOException e) {
            // no /proc: no cgroups we can use
        }
        return mounts;
    }

    /** Controller (v1) or "" (v2) → this process's cgroup path, from /proc/self/cgroup. */
    static Map<String, String> ownCgroups() {
        Map<String, String> own = new LinkedHashMap<>();
        try {
            for (String line : KernelFiles.read(Path.of("/proc/self/cgroup")).split("\n")) {
                String[] f = line.split(":", 3);
                if (f.length == 3) {
                    for (String controller : f[1].split(",")) {
                        own.put(controller, f[2]);
                    }
                }
            }
        } catch (IOException e) {
            // none
        }
        return own;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
