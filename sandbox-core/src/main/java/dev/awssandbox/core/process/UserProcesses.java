package dev.awssandbox.core.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many tasks (processes and their threads) our user runs now. RLIMIT_NPROC counts every task
 * of the user, threads included (the JVM's own among them), not the command's: where no pids
 * cgroup bounds a command, its process limit is set to this count plus the command's allowance,
 * so that the bound means "this many more" rather than failing at once for a user who already
 * runs many (red team, round 15: counting processes only, the JVM's 17 threads left a
 * {@code --max-processes 4} command no fork at all).
 */
final class UserProcesses {
    private UserProcesses() {}

    /** Threads of the processes whose /proc directory our user owns; 0 for root, whom RLIMIT_NPROC does not bind. */
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
                        count += threads(proc);
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

    /** {@code num_threads} of /proc/PID/stat (the 20th field; the command name may hold spaces), at least 1. */
    private static long threads(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), java.nio.charset.StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Math.max(1, Long.parseLong(fields[17]));
        } catch (IOException | RuntimeException e) {
            return 1; // gone meanwhile, or unreadable: counted as one
        }
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
