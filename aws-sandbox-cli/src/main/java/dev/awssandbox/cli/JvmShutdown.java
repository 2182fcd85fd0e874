package dev.awssandbox.cli;

/**
 * Whether the JVM is shutting down (a signal such as SIGTERM or SIGINT arrived): then the
 * sandbox's own clean-up is tearing down what a command being started needs, and what fails
 * meanwhile is that clean-up's doing, not the command's. The CLI says nothing more then, as when
 * the signal arrives while a command runs (the exit status, 128+N, says it). Red team, round 15:
 * SIGTERM during a pipeline's start printed "mkfifo(…): ENOENT".
 */
final class JvmShutdown {
    private JvmShutdown() {}

    /** The JDK refuses a new shutdown hook once shutdown has begun: that refusal is the answer. */
    static boolean inProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
