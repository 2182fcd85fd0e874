package dev.awssandbox.core.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.awssandbox.core.linux.Cgroups;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.posix.PosixSpawn;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kills this JVM's commands when the JVM dies, however it dies (SIGKILL included). A command is
 * not our thread: nothing in the JVM runs after a SIGKILL, and a parent-death signal cannot be
 * set on a {@code posix_spawn} child (and would follow the spawning thread, bubblewrap #692). So
 * one small process outside the JVM, started once, holds the read end of a pipe that only the
 * JVM writes: {@code +PID} when a command starts, {@code -PID} when it was reaped. End of file
 * means the JVM is gone; it then kills every listed command's process group, every child still
 * waiting at its {@link SpawnGate} (found by the FIFO of this JVM's {@link GateDirectory} that
 * only such a child holds: it is listed only once found, and no writer will ever release it), and
 * every cgroup aws-sandbox made for this JVM (which holds even processes that left their group),
 * and exits. It is started before the first spawn, so that no child is ever at a gate unwatched.
 *
 * <p>It is {@code /bin/sh} running the script below: every Linux host has it, and it needs no
 * build step. It ignores the terminal's signals (it has a session of its own) and is outside every
 * command's Landlock domain, so a command cannot signal it (Landlock ABI 6 scopes signals).
 */
final class Watchdog {
    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

    /**
     * $1 is this JVM's gate directory as a {@code find -lname} pattern, $2 this JVM's uid, the rest
     * ($@ after {@code shift 2}) its cgroup directories; stdin is the JVM's list. A child at its gate
     * holds an unlinked FIFO of the gate directory, so its descriptor's link reads
     * {@code DIR/gN (deleted)}; only processes of this uid are looked at: another user's process in
     * a mount namespace of its own could show the same text (red team, round 18, had a root
     * watchdog kill one).
     */
    static final String SCRIPT = """
            trap '' HUP INT QUIT TERM PIPE
            gates=$1; uid=$2; shift 2
            live=' '
            while IFS= read -r line; do
              case $line in
                +*) live="$live${line#+} " ;;
                -*) id=${line#-}
                    case $live in *" $id "*) live="${live%% "$id" *} ${live#* "$id" }" ;; esac ;;
              esac
            done
            started() { set -- $1; shift 19; now=$1; }
            for entry in $live; do
              id=${entry%%:*}
              if IFS= read -r stat </proc/"$id"/stat 2>/dev/null; then
                started "${stat##*) }"
                # the pid is another process's now: ours died, was reaped by whoever took it in, and the
                # number was given again
                [ "$now" = "${entry#*:}" ] || continue
                kill -9 "-$id" 2>/dev/null; kill -9 "$id" 2>/dev/null
              else
                # its leader is gone; a group of that number is still ours (no process gets a pid that
                # is a live group's number)
                kill -9 "-$id" 2>/dev/null
              fi
            done
            for fd in $(find /proc/[0-9]*/fd -user "$uid" -lname "$gates/*" 2>/dev/null); do
              id=${fd#/proc/}; kill -9 "${id%%/*}" 2>/dev/null
            done
            for base in "$@"; do
              for round in 1 2 3 4 5 6 7 8 9 10; do
                # gone: the JVM removed it as it exited (every exit but a kill)
                [ -d "$base" ] || break
                for cg in "$base"/*/; do
                  [ -d "$cg" ] || continue
                  if [ -e "${cg}cgroup.kill" ]; then echo 1 > "${cg}cgroup.kill"
                  else for p in $(cat "${cg}cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done; fi
                  rmdir "$cg" 2>/dev/null
                done
                rmdir "$base" 2>/dev/null && break
                sleep 0.1
              done
            done
            """;

    private static final Object LOCK = new Object();
    private static int writeFd = -1;
    private static volatile int pid = -1;
    private static volatile boolean failed;

    private Watchdog() {}

    /** The watchdog's pid, or -1 when it is not running (the orphan sweep must spare it). */
    static int pid() {
        return pid;
    }

    /**
     * Starts the watchdog unless it runs or could not start: before the first spawn, since a JVM
     * that dies while a child waits at its gate leaves that child waiting forever.
     */
    static void ensureStarted() {
        if (pid > 0 || failed) {
            return; // every spawn asks: no lock once it runs
        }
        synchronized (LOCK) {
            if (writeFd < 0 && !failed) {
                start();
            }
        }
    }

    /**
     * Adds a command (its pid, which is also its process group) to the list, with its start time:
     * a command that died while the JVM did is reaped by whoever takes it in, and its pid may be
     * given again before the watchdog acts, so the watchdog kills a listed pid only while it is
     * still the process that started then (red team, round 16, showed the kill of a pid's next owner).
     */
    static void track(int commandPid) {
        String entry = commandPid + ":" + startTime(commandPid);
        ENTRIES.put(commandPid, entry);
        send("+" + entry + "\n", true);
    }

    /** Removes a command that is about to be reaped: its pid may be reused. */
    static void untrack(int commandPid) {
        String entry = ENTRIES.remove(commandPid);
        if (entry != null) {
            send("-" + entry + "\n", false);
        }
    }

    /** The listed entries, {@code PID:STARTTIME}, by pid. */
    private static final java.util.Map<Integer, String> ENTRIES = new java.util.concurrent.ConcurrentHashMap<>();

    /** When the process started, in clock ticks since boot ("?" when it cannot be read). */
    static String startTime(int pid) {
        return Subreaper.stat(Path.of("/proc/" + pid + "/stat")).map(s -> Long.toString(s.startTime())).orElse("?");
    }

    private static void send(String line, boolean start) {
        synchronized (LOCK) {
            if (writeFd < 0) {
                if (!start || failed) {
                    return;
                }
                start();
                if (writeFd < 0) {
                    return;
                }
            }
            try (Arena arena = Arena.ofConfined()) {
                byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
                MemorySegment buffer = arena.allocate(bytes.length);
                MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
                long n = Libc.write(writeFd, buffer, bytes.length, Libc.newCaptureState(arena));
                if (n == -Errno.EPIPE) {
                    Libc.close(writeFd);
                    writeFd = -1;
                    fail("it has exited");
                } else if (n != bytes.length) {
                    // a line is shorter than PIPE_BUF, so it is written whole or not at all
                    LOG.log(Level.WARNING, "the aws-sandbox watchdog does not keep up (" + Errno.describe((int) -n)
                            + "): a command may outlive a killed JVM");
                }
            }
        }
    }

    /** Starts the watchdog; on failure logs why once and runs without it. Called holding LOCK. */
    private static void start() {
        int[] pipe;
        try {
            pipe = Libc.pipe();
        } catch (ErrnoException e) {
            fail(e.getMessage());
            return;
        }
        int devNull = -1;
        try (Arena arena = Arena.ofShared()) {
            devNull = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
            List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "aws-sandbox-watchdog"));
            argv.addAll(arguments(GateDirectory.path()));
            if (Cgroups.layout() instanceof Cgroups.Layout.Available available) {
                available.bases().stream().map(Path::toString).forEach(argv::add);
            }
            SpawnSpec spec = new SpawnSpec(Path.of("/bin/sh"), argv, Map.of("PATH", "/usr/bin:/bin"), Path.of("/"),
                    dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(), Limits.NONE);
            PosixSpawn args = PosixSpawner.nativeArgs(arena, spec, pipe[0], devNull, devNull, -1, -1);
            try {
                int error = args.start();
                if (error != 0) {
                    fail("cannot start /bin/sh: " + Errno.describe(error));
                    Libc.close(pipe[1]);
                    return;
                }
                pid = args.pid();
            } finally {
                args.destroy();
            }
            Libc.setNonBlocking(pipe[1]);
            writeFd = pipe[1];
        } catch (ErrnoException | java.io.UncheckedIOException e) {
            fail(e.getMessage());
            Libc.close(pipe[1]);
        } finally {
            Libc.close(pipe[0]);
            Libc.close(devNull);
        }
    }

    /** The script's first arguments: the gate directory {@code gates} as a pattern, and this process's uid. */
    static List<String> arguments(Path gates) {
        return List.of(findPattern(gates), Integer.toString(dev.awssandbox.core.linux.ProcessIds.current().uid()));
    }

    /** {@code dir} as a literal in a {@code find -lname} (fnmatch) pattern. */
    static String findPattern(Path dir) {
        StringBuilder pattern = new StringBuilder();
        for (char c : dir.toString().toCharArray()) {
            if (c == '\\' || c == '*' || c == '?' || c == '[') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.toString();
    }

    private static void fail(String why) {
        failed = true;
        LOG.log(Level.WARNING, "cannot start the aws-sandbox watchdog (" + why + "): commands may outlive a killed JVM");
    }
}
