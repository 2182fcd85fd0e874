package dev.awssandbox.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Pids that a test's commands write to files (a command's own view of its pid: {@code echo $$ > FILE}). */
public final class PidFiles {
    private PidFiles() {}

    /** The pid in {@code file}, once a command has written it (up to 15 s). */
    public static int await(Path file) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.exists(file) && !Files.readString(file).isBlank()) {
                return Integer.parseInt(Files.readString(file).strip());
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no pid in " + file);
    }
}
