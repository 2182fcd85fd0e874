package dev.awssandbox.core.process;

import dev.awssandbox.core.posix.Posix;
import dev.awssandbox.core.posix.PosixException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A child that leads its own session, and so its own process group (pgid = pid), and everything
 * in that group: killed as one, at exit as well as at a deadline.
 *
 * <p>One platform thread per child waits for the leader to exit <em>without reaping it</em>
 * ({@code waitid(WNOWAIT)}), kills the group, and only then reaps the leader. While the leader is
 * an unreaped zombie its pid cannot be given to another process, so the group id cannot be
 * reused: no signal ever reaches a group that is not ours. The group is killed in a few rounds
 * (until {@code kill} finds nobody, at most {@value #ROUNDS}): on Linux one {@code kill(-pgid)}
 * is atomic with respect to {@code fork} (a forking member either finishes the fork before the
 * signal, and its child is signalled too, or restarts it and dies), so the later rounds find at
 * most the zombie leader; on macOS the repetition catches a child whose fork was in flight.
 *
 * <p>What this does not reach: a process that left the group ({@code setsid}, {@code setpgid})
 * and whose parent then exited. Linux's engine catches those as the child subreaper; macOS has no
 * subreaper, so on macOS such a process outlives its command (still inside its Seatbelt sandbox).
 */
public final class SessionChild {
    private static final int ROUNDS = 3;
    private static final long[] PAUSES_NANOS = {1_000_000L, 5_000_000L};

    private final int pid;
    private final Object lock = new Object();
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private boolean reaped;
    private boolean exited;
    private final List<Runnable> onLeaderExit = new ArrayList<>();

    private SessionChild(int pid) {
        this.pid = pid;
    }

    /** Spawns {@code path} as a session leader (see {@link Posix#spawnSessionLeader}) and starts watching it. */
    public static SessionChild start(String path, String[] argv, String[] envp, String directory, int stdinFd,
                                     int stdoutFd, int stderrFd) throws PosixException {
        SessionChild child = new SessionChild(Posix.spawnSessionLeader(path, argv, envp, directory, stdinFd, stdoutFd,
                stderrFd));
        Thread.ofPlatform().daemon(true).name("aws-sandbox-wait-" + child.pid).start(child::await);
        return child;
    }

    public int pid() {
        return pid;
    }

    /** Completes when the leader has exited, its group has been killed and the leader reaped. */
    public CompletableFuture<ProcessExit> onExit() {
        return exit;
    }

    /**
     * Runs {@code action} on the waiting thread as soon as the leader's exit is seen, before its
     * group is killed; at once if that has happened already.
     */
    public void whenLeaderExits(Runnable action) {
        synchronized (lock) {
            if (!exited) {
                onLeaderExit.add(action);
                return;
            }
        }
        action.run();
    }

    /** SIGKILL to the whole group, unless the leader has already been reaped (then it is done). */
    public void killTree() {
        synchronized (lock) {
            if (!reaped) {
                Posix.kill(-pid, Posix.SIGKILL);
            }
        }
    }

    private void await() {
        int error = Posix.awaitExitKeepingZombie(pid);
        List<Runnable> actions;
        synchronized (lock) {
            exited = true;
            actions = List.copyOf(onLeaderExit);
        }
        actions.forEach(Runnable::run);
        int status;
        synchronized (lock) {
            if (error == 0) {
                killGroup();
            }
            reaped = true;
            status = Posix.reap(pid);
        }
        if (status < 0) {
            exit.completeExceptionally(new IllegalStateException("cannot reap pid " + pid + ": "
                    + Posix.describe(-status)));
        } else {
            exit.complete(decode(status));
        }
    }

    private void killGroup() {
        for (int round = 0; round < ROUNDS; round++) {
            if (Posix.kill(-pid, Posix.SIGKILL) == Posix.ESRCH) {
                return;
            }
            if (round < PAUSES_NANOS.length) {
                LockSupport.parkNanos(PAUSES_NANOS[round]);
            }
        }
    }

    /** A wait status, encoded the same way by Linux and Darwin. */
    public static ProcessExit decode(int status) {
        int low = status & 0x7f;
        if (low == 0) {
            return ProcessExit.exited((status >> 8) & 0xff);
        }
        return new ProcessExit((status & 0x80) != 0 ? ProcessExit.How.DUMPED : ProcessExit.How.KILLED, low);
    }
}
