package dev.awssandbox.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The sweep's candidates are this JVM's children, read from each thread's
 * {@code /proc/self/task/TID/children}, not every process on the host (whose /proc/PID/stat the
 * sweep read after every command).
 */
class SubreaperCandidatesTest {

    @Test
    void theJvmsChildrenAreCandidatesAndNothingElse() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task", Long.toString(ProcessHandle.current().pid()), "children")),
                "needs /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)");
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(Subreaper.candidates()).contains(Path.of("/proc", Long.toString(child.pid())))
                    .doesNotContain(Path.of("/proc/1"), Path.of("/proc", Long.toString(ProcessHandle.current().pid())));
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Regression: a thread that ended between the listing of /proc/self/task and the read of its
     * children file was taken for a kernel without the file, and the sweep at the JVM's exit (where
     * shutdown hooks end around it) read every process on the host; then, with passes repeated,
     * sixteen passes in a row met an ending thread under load. One pass, the leader read last, is
     * complete however many threads end; and a child of the JVM is still found amid the churn.
     */
    @Test
    void threadsEndingMeanwhileLeaveItToTheJvmsChildren() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task", Long.toString(ProcessHandle.current().pid()), "children")),
                "needs /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)");
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    List<Thread> batch = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        batch.add(Thread.ofPlatform().start(() -> { }));
                    }
                    for (Thread t : batch) {
                        t.join();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            for (int i = 0; i < 300; i++) {
                assertThat(Subreaper.candidates()).doesNotContain(Path.of("/proc/1"))
                        .contains(Path.of("/proc", Long.toString(child.pid())));
            }
        } finally {
            stop.set(true);
            churn.join();
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
