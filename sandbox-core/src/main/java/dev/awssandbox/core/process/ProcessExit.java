package dev.awssandbox.core.process;

/**
 * How a process ended, in the kernel's terms: {@code waitid(2)}'s {@code si_code} and
 * {@code si_status}. Both engines report it so: the Linux reaper reads the two from the
 * {@code siginfo_t}, the JDK engine decodes a wait status into them ({@link SessionChild#decode}),
 * and a wrapper's exit status 128+N becomes a death by signal N ({@link PipelineRunner.Stage}).
 *
 * <p>This is not the API's {@code ExitStatus} a second time: the engine never depends on the API,
 * so it keeps the kernel's facts, and the API's sealed {@code ExitStatus} is their one
 * interpretation ({@code Runner.status}). The engine asks only whether a process succeeded and
 * which signal ended it, and words a status for its own probes' messages.
 *
 * @param how    {@code si_code}
 * @param status {@code si_status}: the exit code, or the signal
 */
public record ProcessExit(How how, int status) {

    /** {@code si_code}: {@code CLD_EXITED}, {@code CLD_KILLED} or {@code CLD_DUMPED}. */
    public enum How { EXITED, KILLED, DUMPED }

    /** It called {@code exit(code)}. */
    public static ProcessExit exited(int code) {
        return new ProcessExit(How.EXITED, code);
    }

    public boolean isSuccess() {
        return how == How.EXITED && status == 0;
    }

    /** Whether {@code signal} ended it. */
    public boolean killedBy(int signal) {
        return how != How.EXITED && status == signal;
    }

    /** As the API words it ({@code ApiMirrorsTest} keeps the two alike): for the probes' messages. */
    @Override
    public String toString() {
        return switch (how) {
            case EXITED -> "exit code " + status;
            case KILLED -> "killed by signal " + status;
            case DUMPED -> "killed by signal " + status + " (core dumped)";
        };
    }
}
