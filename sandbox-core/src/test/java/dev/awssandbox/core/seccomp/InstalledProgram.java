package dev.awssandbox.core.seccomp;

import dev.awssandbox.core.linux.Arch;
import java.util.ArrayList;
import java.util.List;

/**
 * A filter program as the interpreter tests run it: installed by the spawner thread
 * {@link #SPAWNER}, and asked with the {@code AUDIT_ARCH} value of its architecture.
 */
final class InstalledProgram {
    /** The thread id the tests' spawner thread has: what the supervisor-thread placeholder becomes. */
    static final int SPAWNER = 4300;

    private InstalledProgram() {}

    /** {@code program} with the supervisor-thread placeholder of its {@code tgkill} checks set to {@link #SPAWNER}. */
    static List<int[]> installed(List<int[]> program) {
        List<int[]> out = new ArrayList<>();
        for (int[] insn : program) {
            int[] copy = insn.clone();
            if (copy[0] == Bpf.JMP_JEQ_K && copy[3] == SeccompFilter.SUPERVISOR_THREAD) {
                copy[3] = SPAWNER;
            }
            out.add(copy);
        }
        return out;
    }

    /** {@code seccomp_data.arch} for a call made natively on {@code arch}. */
    static int audit(Arch arch) {
        return arch == Arch.X86_64 ? SeccompFilter.AUDIT_ARCH_X86_64 : SeccompFilter.AUDIT_ARCH_AARCH64;
    }
}
