package dev.awssandbox.core.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.awssandbox.core.landlock.FsAccess;
import dev.awssandbox.core.landlock.Landlock;
import dev.awssandbox.core.landlock.LandlockRuleset;
import dev.awssandbox.core.landlock.LandlockSupport;
import dev.awssandbox.core.landlock.Scope;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.posix.PosixSpawn;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Every process of every Landlock command of this JVM dies with the JVM, however the JVM dies
 * (SIGKILL included) and wherever the process went: {@code setsid}, a double fork, a fork chain
 * (a process that forks and exits in a loop). Found by the red team: without a cgroup (an
 * unprivileged user) the {@link Watchdog} kills only the process groups it knows, and a
 * {@code setsid sleep} lived on under init.
 *
 * <h2>How</h2>
 * One thread of the JVM, the <em>domain thread</em>, applies a Landlock ruleset that restricts
 * nothing but signals ({@code LANDLOCK_SCOPE_SIGNAL}, ABI 6): the <em>commands' domain</em>. A
 * Landlock domain is inherited by every thread and process its thread creates, and can only be
 * nested further, never left. The domain thread creates the threads that spawn Landlock commands,
 * so every command's own domain is nested in the commands' domain, and so is everything the
 * command ever starts, whatever its session, process group or parent. The domain thread also
 * starts one process, the <em>killer</em>: {@code /bin/sh} running {@link #SCRIPT}, inside the
 * commands' domain itself, reading a pipe whose only write end the JVM holds (never written). At
 * end of file the JVM is gone, and the killer calls {@code kill(-1, SIGKILL)}. Under Landlock's
 * signal scope, {@code kill(-1)} reaches exactly the processes of the caller's domain and of the
 * domains nested in it — every command process, and nothing else of the host, whatever the user
 * (root included). The kernel signals them all under the task list lock, which {@code fork} takes
 * too, so a process forking at that moment cannot slip out: a scan of {@code /proc}, by contrast,
 * never sees a fork chain's short-lived links (pgrep found none of a Python chain that forked
 * 1,500 times a second here).
 *
 * <p>Safety: the ruleset's scope is the kernel's to refuse (EINVAL) when unknown, and before it
 * arms the killer checks that it cannot signal the JVM; if it can, it exits and the domain is not
 * used. The commands cannot signal the killer or the domain thread (their domains are nested in
 * theirs, and the scope lets a domain signal only itself and its nested ones), nor ptrace them.
 *
 * <h2>Threads</h2>
 * The domain thread creates platform threads on request and nothing else; it never takes a lock
 * that a virtual thread may wait for and never wakes a virtual thread (a carrier thread it caused
 * to be created would inherit the domain): requests go through a lock-free queue, and a waiting
 * caller is unparked only when it is a platform thread (a virtual one polls). It carries
 * no_new_privs (Landlock requires it), as do the threads it creates, which restrict themselves
 * further before they spawn. The restriction of the commands' domain itself is about signals
 * only: a thread in it can still read, write and connect anywhere.
 *
 * <p>Not covered here: bubblewrap commands (their PID namespace ends with its pid 1, which
 * bubblewrap's {@code --die-with-parent} kills when its spawner thread ends, with the JVM);
 * unsandboxed commands; kernels older than Landlock ABI 6 (no signal scope). There the
 * {@link Watchdog} kills the commands' process groups and cgroups.
 */
public final class CommandDomain {
    private static final System.Logger LOG = System.getLogger(CommandDomain.class.getName());

    /** $1 is the JVM's pid; stdin is the pipe the JVM holds the write end of; stdout reports. */
    static final String SCRIPT = """
            trap '' HUP INT QUIT TERM PIPE
            if kill -0 "$1" 2>/dev/null; then echo unscoped; exit 1; fi
            echo armed
            while read -r _; do :; done
            kill -9 -1
            """;

    /** Whether the commands' domain is in force, and why not. */
    public sealed interface State {
        /** In force: Landlock commands are nested in it; the killer's pid. */
        record Armed(int killerPid) implements State {}

        /** Not used (commands are spawned as before, in no common domain): why. */
        record Off(String reason) implements State {}
    }

    private static final Object INIT = new Object();
    private static volatile State state;
    private static volatile int killerPid = -1;
    private static Thread domainThread;
    private static final ConcurrentLinkedQueue<Runnable> TASKS = new ConcurrentLinkedQueue<>();
    /** The write end of the killer's pipe: held, never written, closed only by the JVM's death. */
    @SuppressWarnings("unused")
    private static int lifeline = -1;

    private CommandDomain() {}

    /**
     * The state, set up on first use (starting the domain thread and the killer, a few ms once).
     * The caller must not hold the orphan sweep's spawn lock ({@link Subreaper#spawnStarting()}).
     */
    public static State state() {
        State s = state;
        if (s != null) {
            return s;
        }
        synchronized (INIT) {
            if (state == null) {
                State started = start();
                if (started instanceof State.Off off) {
                    LOG.log(Level.WARNING, "aws-sandbox cannot group its commands in one Landlock domain (" + off.reason()
                            + "): without a cgroup, a process that leaves its command's process group outlives a killed JVM");
                }
                state = started;
            }
            return state;
        }
    }

    /** Whether Landlock commands are spawned inside the commands' domain; false until {@link #state()} set it up. */
    static boolean armed() {
        return state instanceof State.Armed;
    }

    /** The killer's pid, or -1: the orphan sweep must spare it. */
    static int killerPid() {
        return killerPid;
    }

    /**
     * Sends SIGKILL to process group {@code pgrp} (when above 1) and to {@code pid} from the domain
     * thread, inside the commands' domain: Landlock's signal scope lets that thread signal only the
     * processes of the commands' domain and of the domains nested in it — a Landlock command and
     * everything it started — and refuses every other process (EPERM), whoever it is. So a kill that
     * succeeds proves that {@code pid} came from a Landlock command of this JVM. Returns the errno of
     * the kill of {@code pid}: 0 when it was killed; EPERM when it is no process of the commands'
     * domain, or when the domain is not {@link #armed()} (nothing can be proved then).
     *
     * <p>The caller must keep {@code pid} from being reused meanwhile (an unreaped child of the JVM);
     * a group's members outside the domain are not signalled.
     */
    static int killInDomain(int pid, int pgrp) {
        if (!armed()) {
            return Errno.EPERM;
        }
        return call(() -> {
            if (pgrp > 1) {
                Libc.kill(-pgrp, Libc.SIGKILL);
            }
            return Libc.kill(pid, Libc.SIGKILL);
        });
    }

    /**
     * Runs {@code task} on the domain thread (so that the threads it creates are in the commands'
     * domain) and returns its result; waits uninterruptibly. Only when {@link #armed()}.
     */
    static <T> T call(Supplier<T> task) {
        Handoff<T> handoff = new Handoff<>(Thread.currentThread());
        execute(() -> handoff.run(task));
        return handoff.await();
    }

    /** Runs {@code task} on the domain thread, later. Only when {@link #armed()}. */
    static void execute(Runnable task) {
        TASKS.add(task);
        LockSupport.unpark(domainThread);
    }

    private static State start() {
        LandlockSupport support = Landlock.probe();
        if (!support.isAvailable()) {
            return new State.Off(support.unavailableReason().orElseThrow());
        }
        if (support.abi() < Scope.ABI) {
            return new State.Off("Landlock's signal scope needs ABI " + Scope.ABI + ", the kernel has " + support.abi());
        }
        // everything the domain thread runs is loaded here, on an unrestricted thread: class loading takes
        // locks that a virtual thread may wait for, and the domain thread must never wake one
        PosixSpawner.warmUp();
        List.of(State.Armed.class, State.Off.class, Handoff.class, SpawnThreads.class).forEach(Class::getName);
        Libc.kill((int) ProcessHandle.current().pid(), 0); // killInDomain's call, linked here: signal 0 checks only
        LandlockRuleset ruleset;
        try {
            // handles no file-system or network right: only signals are scoped
            ruleset = LandlockRuleset.create(support.abi(), EnumSet.noneOf(FsAccess.class), false, EnumSet.of(Scope.SIGNAL));
        } catch (ErrnoException e) {
            return off("cannot create its Landlock ruleset: " + e.getMessage());
        }
        Handoff<State> started = new Handoff<>(Thread.currentThread());
        // held here, on this unrestricted thread, until the killer's pid is known: the orphan sweep must not
        // take the killer (a child of the JVM in a session of its own) for an orphan. Not on the domain
        // thread: releasing it could wake a virtual thread waiting to sweep
        Subreaper.spawnStarting();
        try {
            domainThread = Thread.ofPlatform().name("aws-sandbox-spawn-domain").daemon(true)
                    .unstarted(() -> serve(ruleset, started));
            domainThread.start();
            return started.await();
        } finally {
            Subreaper.spawnFinished();
            ruleset.close(); // the thread has enforced it (or failed) by now
        }
    }

    private static State off(String reason) {
        return new State.Off(reason);
    }

    /** The domain thread: enters the domain, starts the killer, then runs tasks until the JVM exits. */
    private static void serve(LandlockRuleset ruleset, Handoff<State> started) {
        State s = enterAndArm(ruleset);
        started.run(() -> s);
        if (!(s instanceof State.Armed)) {
            return;
        }
        while (true) {
            Runnable task = TASKS.poll();
            if (task == null) {
                LockSupport.park(CommandDomain.class);
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // a task's own handoff reports its failure; nothing may end this thread (nor log here: see above)
            }
        }
    }

    private static State enterAndArm(LandlockRuleset ruleset) {
        int errno = Libc.setNoNewPrivs();
        if (errno != 0) {
            return off("prctl(PR_SET_NO_NEW_PRIVS): " + Errno.describe(errno));
        }
        errno = ruleset.restrictCurrentThread();
        if (errno != 0) {
            return off("landlock_restrict_self: " + Errno.describe(errno));
        }
        int[] lifelinePipe = null;
        int[] report = null;
        int devNull = -1;
        try (Arena arena = Arena.ofConfined()) {
            lifelinePipe = Libc.pipe();
            report = Libc.pipe();
            devNull = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
            SpawnSpec spec = new SpawnSpec(Path.of("/bin/sh"), List.of("/bin/sh", "-c", SCRIPT, "aws-sandbox-killer",
                    Long.toString(ProcessHandle.current().pid())), Map.of("PATH", "/usr/bin:/bin"), Path.of("/"),
                    ThreadRestriction.NONE, Optional.empty(), Limits.NONE);
            PosixSpawn args = PosixSpawner.nativeArgs(arena, spec, lifelinePipe[0], report[1], devNull,
                    -1, -1);
            int pid;
            try {
                int error = args.start();
                if (error != 0) {
                    return off("cannot start /bin/sh: " + Errno.describe(error));
                }
                pid = args.pid();
            } finally {
                args.destroy();
            }
            killerPid = pid;
            Libc.close(report[1]);
            report[1] = -1;
            String line = readLine(report[0], arena);
            if (!line.equals("armed")) {
                Libc.kill(pid, Libc.SIGKILL);
                Libc.waitidPid(pid, arena.allocate(Libc.SIGINFO));
                killerPid = -1;
                return off(line.equals("unscoped") ? "the killer could signal the JVM: Landlock's signal scope is not in force"
                        : "the killer did not start (" + (line.isEmpty() ? "no report" : line) + ")");
            }
            lifeline = lifelinePipe[1];
            lifelinePipe[1] = -1;
            return new State.Armed(pid);
        } catch (ErrnoException e) {
            return off(e.getMessage());
        } finally {
            if (lifelinePipe != null) {
                Libc.close(lifelinePipe[0]);
                Libc.close(lifelinePipe[1]);
            }
            if (report != null) {
                Libc.close(report[0]);
                Libc.close(report[1]);
            }
            Libc.close(devNull);
        }
    }

    private static String readLine(int fd, Arena arena) {
        MemorySegment buffer = arena.allocate(64);
        MemorySegment errnoState = Libc.newCaptureState(arena);
        StringBuilder line = new StringBuilder();
        while (line.length() < 64) {
            long n = Libc.read(fd, buffer, 1, errnoState);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            char c = (char) buffer.get(JAVA_BYTE, 0);
            if (c == '\n') {
                break;
            }
            line.append(c);
        }
        return line.toString();
    }

    /**
     * A result handed from the domain thread to one caller: a volatile write, and an unpark only
     * for a platform caller (waking a virtual thread would make the domain thread schedule it).
     */
    private static final class Handoff<T> {
        private final Thread caller;
        private volatile boolean done;
        private T value;
        private Throwable failure;

        Handoff(Thread caller) {
            this.caller = caller;
        }

        void run(Supplier<T> task) {
            try {
                value = task.get();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done = true;
                if (!caller.isVirtual()) {
                    LockSupport.unpark(caller);
                }
            }
        }

        T await() {
            boolean interrupted = false;
            while (!done) {
                LockSupport.parkNanos(this, caller.isVirtual() ? 50_000 : 10_000_000);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new IllegalStateException("the aws-sandbox domain thread failed", failure);
            }
            return value;
        }
    }
}
