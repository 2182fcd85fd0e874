package dev.awssandbox.core.process;

/**
 * How a process ended, as the kernel reports it: the engine's own twin of the API's
 * {@code ExitStatus}, which the API maps (the engine never depends on the API; {@code ApiMirrorsTest}
 * keeps the two alike).
 */
public sealed interface ProcessExit {

    /** It exited with this code. */
    record Exited(int code) implements ProcessExit {
        @Override
        public String toString() {
            return "exit code " + code;
        }
    }

    /** A signal killed it. */
    record Signaled(int signal, boolean coreDumped) implements ProcessExit {
        @Override
        public String toString() {
            return "killed by signal " + signal + (coreDumped ? " (core dumped)" : "");
        }
    }

    default boolean isSuccess() {
        return this instanceof Exited(int code) && code == 0;
    }
}
