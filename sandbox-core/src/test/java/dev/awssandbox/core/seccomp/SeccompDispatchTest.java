package dev.awssandbox.core.seccomp;

import static dev.awssandbox.core.seccomp.InstalledProgram.audit;
import static dev.awssandbox.core.seccomp.InstalledProgram.installed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.linux.Arch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The binary-search dispatch decides exactly as the linear one it replaced
 * ({@link LinearDispatchProgram}): both programs are interpreted for every option set, both
 * architectures, every call number up to well past the highest one the filter names (and the x32
 * and unsigned boundaries), under the native and foreign architecture values, and, for every
 * number where either program reads an argument, for every combination of argument values the
 * programs can tell apart.
 *
 * <p>Why that covers all inputs: the programs read only {@code nr}, {@code arch} and the low words
 * of {@code args[0..3]} (checked below), so a decision is a function of those. Until a program
 * first loads an argument its path depends on {@code nr} and {@code arch} alone; where neither
 * program loads one for a number, the decision does not depend on the arguments at all. Where
 * one does, an argument value matters only through the comparisons the programs make at its
 * offset, so one value per class of values that answer every such comparison alike stands for
 * all of that class; the candidates that find the classes are each compared constant, its
 * neighbours, its bits and its complement.
 */
class SeccompDispatchTest {
    private static final int[] ARG_OFFSETS = {
        SeccompFilter.DATA_ARG0_LOW, SeccompFilter.DATA_ARG1_LOW, SeccompFilter.DATA_ARG2_LOW, SeccompFilter.DATA_ARG3_LOW};

    static List<SeccompFilter.Options> allOptions() {
        return SeccompProgramTest.allOptions();
    }

    /**
     * The result of one run, whether it loaded an argument on the way, and the instructions it ran
     * before its first argument load or its return: what the kernel's emulation runs for that
     * number (it stops at an argument load) and what every such call runs before its section.
     */
    record Outcome(int action, boolean readArgs, int steps) {}

    /** A classic-BPF interpreter for the instructions Bpf emits (kernel semantics: unsigned compares, forward jumps). */
    static Outcome run(List<int[]> program, int auditArch, int nr, int[] args) {
        int acc = 0;
        boolean readArgs = false;
        int steps = 0;
        int dispatchSteps = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            int[] insn = program.get(pc);
            int k = insn[3];
            steps++;
            switch (insn[0]) {
                case Bpf.LD_W_ABS -> {
                    if (k == SeccompFilter.DATA_NR) {
                        acc = nr;
                    } else if (k == SeccompFilter.DATA_ARCH) {
                        acc = auditArch;
                    } else {
                        int arg = (k - SeccompFilter.DATA_ARG0_LOW) / 8;
                        if (k < SeccompFilter.DATA_ARG0_LOW || (k - SeccompFilter.DATA_ARG0_LOW) % 8 != 0 || arg >= args.length) {
                            throw new IllegalStateException("a load the equivalence argument does not cover: " + k);
                        }
                        acc = args[arg];
                        if (!readArgs) {
                            readArgs = true;
                            dispatchSteps = steps;
                        }
                    }
                }
                case Bpf.ALU_AND_K -> acc &= k;
                case Bpf.JMP_JA -> pc += k;
                case Bpf.JMP_JEQ_K -> pc += acc == k ? insn[1] : insn[2];
                case Bpf.JMP_JGE_K -> pc += Integer.compareUnsigned(acc, k) >= 0 ? insn[1] : insn[2];
                case Bpf.JMP_JSET_K -> pc += (acc & k) != 0 ? insn[1] : insn[2];
                case Bpf.RET_K -> {
                    return new Outcome(k, readArgs, readArgs ? dispatchSteps : steps);
                }
                default -> throw new IllegalStateException("instruction " + insn[0] + " at " + pc);
            }
        }
        throw new IllegalStateException("fell off the end of the program");
    }

    /** A comparison some program makes on the word at {@code offset}, after an {@code and} with {@code mask}. */
    record Comparison(int offset, int mask, int op, int k) {
        boolean holds(int value) {
            int a = value & mask;
            return switch (op) {
                case Bpf.JMP_JEQ_K -> a == k;
                case Bpf.JMP_JGE_K -> Integer.compareUnsigned(a, k) >= 0;
                case Bpf.JMP_JSET_K -> (a & k) != 0;
                default -> throw new IllegalStateException("op " + op);
            };
        }
    }

    /** Every comparison of an argument word in {@code programs}, read in program order (each section loads its word first). */
    static List<Comparison> argumentTests(List<List<int[]>> programs) {
        List<Comparison> tests = new ArrayList<>();
        for (List<int[]> program : programs) {
            int offset = -1;
            int mask = -1;
            for (int[] insn : program) {
                switch (insn[0]) {
                    case Bpf.LD_W_ABS -> {
                        offset = insn[3];
                        mask = -1;
                    }
                    case Bpf.ALU_AND_K -> mask &= insn[3];
                    case Bpf.JMP_JEQ_K, Bpf.JMP_JGE_K, Bpf.JMP_JSET_K -> {
                        if (offset >= SeccompFilter.DATA_ARG0_LOW) {
                            tests.add(new Comparison(offset, mask, insn[0], insn[3]));
                        }
                    }
                    default -> {}
                }
            }
        }
        return tests;
    }

    /** One value for each class of values the tests at {@code offset} cannot tell apart. */
    static List<Integer> representatives(List<Comparison> tests, int offset) {
        List<Comparison> here = tests.stream().filter(t -> t.offset() == offset).toList();
        Set<Integer> candidates = new TreeSet<>(List.of(0, 1, -1, 0x7FFF_FFFF, 0x8000_0000));
        for (Comparison t : here) {
            for (int base : new int[] {t.k(), t.k() | ~t.mask(), t.mask(), ~t.k()}) {
                candidates.add(base);
                candidates.add(base + 1);
                candidates.add(base - 1);
            }
            for (int bit = 0; bit < 32; bit++) {
                if ((t.k() & 1 << bit) != 0) {
                    candidates.add(1 << bit);
                    candidates.add(t.k() & ~(1 << bit));
                }
            }
        }
        Map<String, Integer> byClass = new LinkedHashMap<>();
        for (int v : candidates) {
            StringBuilder signature = new StringBuilder();
            for (Comparison t : here) {
                signature.append(t.holds(v) ? '1' : '0');
            }
            byClass.putIfAbsent(signature.toString(), v);
        }
        return List.copyOf(byClass.values());
    }

    /** Every call number the programs could tell apart: all up to well past the highest named, and the high boundaries. */
    static List<Integer> numbers() {
        int highest = 0;
        for (Syscall s : Syscall.values()) {
            for (Arch arch : Arch.values()) {
                highest = Math.max(highest, s.number(arch).orElse(0));
            }
        }
        List<Integer> numbers = new ArrayList<>();
        for (int nr = 0; nr <= highest + 256; nr++) {
            numbers.add(nr);
        }
        int x32 = SeccompFilter.X32_SYSCALL_BIT;
        for (int nr : new int[] {x32 - 1, x32, x32 | 39, x32 | 257, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE}) {
            numbers.add(nr);
        }
        return numbers;
    }

    @ParameterizedTest
    @MethodSource("allOptions")
    void theBinarySearchDecidesEveryCallAndArgumentAsTheLinearDispatchDid(SeccompFilter.Options options) {
        for (Arch arch : Arch.values()) {
            List<int[]> linear = installed(LinearDispatchProgram.program(arch, options));
            List<int[]> search = installed(SeccompFilter.program(arch, options));
            assertThat(search.size()).as("%s %s: shorter", arch, options).isLessThan(linear.size());
            List<Comparison> tests = argumentTests(List.of(linear, search));
            List<List<Integer>> values = new ArrayList<>();
            for (int offset : ARG_OFFSETS) {
                values.add(representatives(tests, offset));
            }
            Arch other = arch == Arch.X86_64 ? Arch.AARCH64 : Arch.X86_64;
            int argumentCases = 0;
            int longest = 0;
            long linearSteps = 0;
            long searchSteps = 0;
            for (int nr : numbers()) {
                for (int auditArch : new int[] {audit(arch), audit(other), 0x4000_0003 /* i386 */, 0}) {
                    int[] none = new int[4];
                    Outcome was = run(linear, auditArch, nr, none);
                    Outcome is = run(search, auditArch, nr, none);
                    assertThat(is.action()).as("%s %s nr %d arch %x", arch, options, nr, auditArch).isEqualTo(was.action());
                    longest = Math.max(longest, is.steps());
                    if (auditArch == audit(arch) && nr < 512) {
                        linearSteps += was.steps();
                        searchSteps += is.steps();
                    }
                    if (!was.readArgs() && !is.readArgs()) {
                        continue; // decided by nr and arch alone, in both
                    }
                    for (int a0 : values.get(0)) {
                        for (int a1 : values.get(1)) {
                            for (int a2 : values.get(2)) {
                                for (int a3 : values.get(3)) {
                                    int[] args = {a0, a1, a2, a3};
                                    int expected = run(linear, auditArch, nr, args).action();
                                    int actual = run(search, auditArch, nr, args).action();
                                    if (actual != expected) {
                                        assertThat(actual).as("%s %s nr %d args %x %x %x %x", arch, options, nr, a0, a1, a2, a3)
                                                .isEqualTo(expected);
                                    }
                                    argumentCases++;
                                }
                            }
                        }
                    }
                }
            }
            // the new dispatch: arch check, nr load, a handful of comparisons, then a return or a section
            assertThat(longest).as("%s %s: longest dispatch", arch, options).isLessThanOrEqualTo(12);
            assertThat(searchSteps * 4).as("%s %s: emulated instructions", arch, options).isLessThan(linearSteps);
            assertThat(argumentCases).isPositive();
            System.out.printf("%s %s: %d -> %d instructions, longest dispatch %d, instructions to emulate"
                    + " numbers 0-511 %d -> %d, %d argument cases%n",
                    arch, options, linear.size(), search.size(), longest, linearSteps, searchSteps, argumentCases);
        }
    }
}
