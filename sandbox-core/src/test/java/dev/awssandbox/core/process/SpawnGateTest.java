package dev.awssandbox.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.posix.PosixSpawn;
import dev.awssandbox.core.testing.Requirements;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate finds its own child only. Every child of the JVM, from its fork until its own file
 * actions close them, holds a copy of every descriptor of the JVM, the gates of other spawns
 * included, at their numbers in the JVM. A gate looks for the child that holds its FIFO at
 * {@code K}, the number the child copies it to (4 plus its inherited descriptors: about 30 under
 * bubblewrap). With gates numbered from 16, one could be numbered {@code K} itself: then another
 * spawn's child, still holding the JVM's descriptors, was taken for this spawn's child (found by
 * {@code ThroughputBench}, 32 callers under bubblewrap). Here such a child (blocked in its first
 * file action, before any copy) is looked for at every number a child's gate can have, and must
 * not be found; the control: it is found at the gate's own number in the JVM, so it does hold the
 * gate.
 */
class SpawnGateTest {
    @TempDir
    Path dir;

    @Test
    void aChildHoldingTheJvmsDescriptorsIsNeverTakenForTheChildAtAGate() throws Exception {
        Requirements.requireLandlock(); // a Linux host where the spawner runs
        PosixSpawner.warmUp();
        String block = dir.resolve("block").toString();
        Libc.mkfifo(block, 0600);
        try (SpawnGate gate = SpawnGate.create(); Arena arena = Arena.ofShared()) {
            // blocked in its first file action (opening a FIFO nobody writes), with all of the JVM's descriptors
            PosixSpawn args = PosixSpawn.prepare(arena, "/bin/true", List.of("true"), List.of(),
                    List.of(new PosixSpawn.Open(3, block, Libc.O_RDONLY)));
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread spawning = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                args.start();
            });
            // taken after the spawning thread exists: a thread of this JVM shows the JVM's descriptors too
            OptionalInt base = SpawnGate.lastPid();
            go.countDown();
            OptionalInt holder = OptionalInt.empty();
            try {
                for (int i = 0; i < 500 && holder.isEmpty(); i++) {
                    holder = gate.awaitChild(base, gate.fd(), () -> true, 0, System.nanoTime() + 60_000_000_000L);
                    Thread.sleep(10);
                }
                assertThat(holder.isPresent() && Files.exists(Path.of("/proc/self/task/" + holder.getAsInt())))
                        .as("the control found a thread of this JVM").isFalse();
                assertThat(holder).as("the control: the blocked child holds the gate at its number in the JVM").isPresent();

                List<Integer> takenAt = new ArrayList<>();
                for (int k = SpawnGate.CHILD_FD; k <= SpawnSpec.FIRST_INHERITED + SpawnSpec.MAX_INHERITED; k++) {
                    if (gate.awaitChild(base, k, () -> true, 0, System.nanoTime() + 60_000_000_000L).isPresent()) {
                        takenAt.add(k);
                    }
                }
                assertThat(takenAt).as("numbers at which another spawn's child was taken for this gate's (gate "
                        + gate.fd() + ")").isEmpty();
            } finally {
                // posix_spawn returns once the child is gone: until then its pid is known from the search only
                if (holder.isPresent() && !Files.exists(Path.of("/proc/self/task/" + holder.getAsInt()))) {
                    Libc.kill(holder.getAsInt(), Libc.SIGKILL);
                }
                spawning.join(10_000);
                if (args.pid() > 0) {
                    Libc.kill(args.pid(), Libc.SIGKILL);
                    Libc.waitidPid(args.pid(), arena.allocate(Libc.SIGINFO));
                }
                args.destroy();
            }
        }
    }
}
