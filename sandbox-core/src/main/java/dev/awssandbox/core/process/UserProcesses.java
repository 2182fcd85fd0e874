package dev.awssandbox.core.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many processes our user runs now. RLIMIT_NPROC counts every process of the user, not the
 * command's: where no pids cgroup bounds a command, its process limit is set to this count plus
 * the command's allowance, so that the bound means "this many more" rather than failing at once
 * for a user who already runs many processes.
 */
final class UserProcesses {
    private UserProcesses() {}

    /** Processes whose /proc directory our user owns; 0 for root, whom RLIMIT_NPROC does not bind. */
    static long count() {
        int uid = uid();
        if (uid == 0) {
            return 0;
        }
        long count = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    if ((Integer) Files.getAttribute(proc, "unix:uid") == uid) {
                        count++;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return count;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
