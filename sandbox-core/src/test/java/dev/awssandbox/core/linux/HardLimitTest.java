package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A limit above the hard limit a command already has (inherited from the JVM's) holds it to that
 * one instead of failing: without the privilege to raise it (a user with {@code ulimit -Hu 56}
 * below the default of 512 processes), every command failed (red team, round 14).
 */
class HardLimitTest {

    @Test
    void aLimitAboveTheHardLimitHoldsTheCommandToTheHardLimit() throws Exception {
        Process child = new ProcessBuilder("prlimit", "--fsize=1048576:1048576", "sleep", "30").start();
        try {
            int pid = (int) child.pid();
            Path comm = Path.of("/proc", Integer.toString(pid), "comm");
            for (int i = 0; i < 200 && !Files.readString(comm).strip().equals("sleep"); i++) {
                Thread.sleep(10);
            }
            int[] errno = new int[2];
            // capabilities are per thread: this one lacks CAP_SYS_RESOURCE, as a user's JVM does
            Thread unprivileged = Thread.ofPlatform().start(() -> {
                Capabilities.dropAllOnCurrentThread();
                errno[0] = Libc.setLimitExactly(pid, Libc.RLIMIT_FSIZE, 4L << 30);
                errno[1] = Libc.setLimit(pid, Libc.RLIMIT_FSIZE, 4L << 30);
            });
            unprivileged.join();

            assertThat(errno[0]).as("the control: raising the hard limit without the privilege").isEqualTo(Errno.EPERM);
            assertThat(errno[1]).as("setLimit").isZero();
            String limits = Files.readString(Path.of("/proc", Integer.toString(pid), "limits"));
            assertThat(limits.lines().filter(l -> l.startsWith("Max file size")).findFirst().orElseThrow())
                    .as("held to the hard limit, soft and hard").matches("Max file size\\s+1048576\\s+1048576\\s+bytes\\s*");
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
