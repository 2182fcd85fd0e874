package dev.awssandbox.core;

/** How a child ended: it exited with a code, or a signal ended it. */
public sealed interface ExitStatus {

    /** The status a shell would report: the exit code, or 128 + the signal number. */
    int shellStatus();

    boolean isSuccess();

    /** The child called exit(code). */
    record Exited(int code) implements ExitStatus {
        @Override
        public int shellStatus() {
            return code;
        }

        @Override
        public boolean isSuccess() {
            return code == 0;
        }

        @Override
        public String toString() {
            return "exit code " + code;
        }
    }

    /** A signal ended the child. */
    record Signaled(int signal, boolean coreDumped) implements ExitStatus {
        @Override
        public int shellStatus() {
            return 128 + signal;
        }

        @Override
        public boolean isSuccess() {
            return false;
        }

        @Override
        public String toString() {
            return "killed by signal " + signal + (coreDumped ? " (core dumped)" : "");
        }
    }
}
