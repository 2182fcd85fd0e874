package dev.awssandbox.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.posix.PosixSpawn;
import dev.awssandbox.core.testing.Requirements;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spawn ends even when its child never comes through its gate. The child is held at its gate by
 * the last of its file actions; one blocked before (a working directory on a file system that does
 * not answer, a stop signal) was looked for, or waited for at the gate's open, for ever, and so
 * was the command's caller (a CI run waited eight minutes in the search before it was killed).
 * Here the child is blocked in a file action of its own, an open of a FIFO nobody writes: before
 * the copy of its gate, then between that copy and the gate's open. The spawn must fail within
 * its deadline, naming what the child was doing, and leave no process. The control: the same file
 * actions, with a writer on the FIFO, lead the child through its gate and it runs.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the code before the deadline hung
class SpawnDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final Pattern PID = Pattern.compile("the new process (\\d+) ");

    @TempDir
    Path dir;
    private Path block;

    @BeforeEach
    void fifo() throws Exception {
        Requirements.requireLandlock(); // a Linux host where the spawner runs
        PosixSpawner.prepare();
        block = dir.resolve("block");
        Libc.mkfifo(block.toString(), 0600);
    }

    @Test
    void aChildThatNeverComesToItsGateIsKilledAndItsSpawnFails() throws Exception {
        assertFailsAndLeavesNothing(true, "did not reach its spawn gate");
    }

    @Test
    void aChildThatNeverOpensItsGateIsKilledAndItsSpawnFails() throws Exception {
        assertFailsAndLeavesNothing(false, "did not open its spawn gate");
    }

    private void assertFailsAndLeavesNothing(boolean beforeTheCopy, String what) throws Exception {
        int writer = Libc.open(block.toString(), Libc.O_RDWR | Libc.O_CLOEXEC); // never blocks, on Linux
        try {
            ProcessExit exit = spawn(beforeTheCopy).onExit().get(30, TimeUnit.SECONDS);
            assertThat(exit.isSuccess()).as("the control: with a writer the child comes through its gate and runs")
                    .isTrue();
        } finally {
            Libc.close(writer);
        }

        long started = System.nanoTime();
        SpawnException failure = catchThrowableOfType(SpawnException.class, () -> spawn(beforeTheCopy));
        long took = System.nanoTime() - started;
        try {
            assertThat(failure).as("the spawn of a child blocked before its gate fails").isNotNull();
            assertThat(failure.getMessage()).contains(what).contains("sleeping").contains("it was killed before it ran");
            assertThat(took).as("it failed after its deadline, not before").isGreaterThanOrEqualTo(DEADLINE.toNanos());
            Matcher pid = PID.matcher(failure.getMessage());
            assertThat(pid.find()).as(failure.getMessage()).isTrue();
            Path proc = Path.of("/proc", pid.group(1));
            // killed and reaped: gone, unless its pid was taken again since by a process that is not ours
            assertThat(!Files.exists(proc) || Subreaper.stat(proc.resolve("stat"))
                    .map(s -> s.ppid() != ProcessHandle.current().pid()).orElse(true))
                    .as("the child is gone: " + ThreadChildren.state(Integer.parseInt(pid.group(1)))).isTrue();
        } finally {
            // on failure, the child may still wait on the FIFO: a writer lets it on (to its gate, or past it)
            int release = Libc.tryOpen(block.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
            Thread.sleep(100);
            Libc.close(release);
        }
    }

    /**
     * Spawns {@code /bin/true} through a gate with file actions that open {@link #block} first:
     * before its gate is copied to descriptor 4, or after it is copied to 3 and before its open.
     */
    private ChildReaper.Child spawn(boolean beforeTheCopy) throws Exception {
        SpawnSpec spec = new SpawnSpec(Path.of("/bin/true"), List.of("true"), Map.of(), Path.of("/"),
                ThreadRestriction.NONE, Optional.empty(), Limits.NONE);
        SpawnThreads.Spawner spawner = SpawnThreads.reserve(ThreadRestriction.NONE);
        try (SpawnGate gate = SpawnGate.create(); Arena arena = Arena.ofShared()) {
            int childGate = beforeTheCopy ? 4 : 3;
            List<PosixSpawn.FileAction> actions = beforeTheCopy
                    ? List.of(new PosixSpawn.Open(3, block.toString(), Libc.O_RDONLY), new PosixSpawn.Dup2(gate.fd(), 4))
                    : List.of(new PosixSpawn.Dup2(gate.fd(), 3), new PosixSpawn.Open(4, block.toString(), Libc.O_RDONLY));
            actions = new java.util.ArrayList<>(actions);
            actions.add(new PosixSpawn.CloseFrom(childGate + 1));
            actions.add(new PosixSpawn.Open(childGate + 1, "/proc/self/fd/" + childGate, Libc.O_RDONLY));
            actions.add(new PosixSpawn.Close(childGate + 1));
            actions.add(new PosixSpawn.Close(childGate));
            PosixSpawn args = PosixSpawn.prepare(arena, "/bin/true", List.of("true"), List.of(), actions);
            try {
                return PosixSpawner.spawnThroughGate(spec, args, gate, childGate, Optional.empty(), spawner, DEADLINE);
            } finally {
                args.destroy();
            }
        } finally {
            spawner.abandon();
        }
    }
}
