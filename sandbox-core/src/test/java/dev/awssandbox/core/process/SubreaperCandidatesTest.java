package dev.awssandbox.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
}
