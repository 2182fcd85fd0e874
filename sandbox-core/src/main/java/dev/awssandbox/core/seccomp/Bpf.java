package dev.awssandbox.core.seccomp;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny classic-BPF assembler for seccomp filters: the few instructions a filter needs, with
 * labels for forward jumps, resolved when the program is built.
 *
 * <p>Classic BPF jumps only forward, and a conditional jump reaches at most 255 instructions
 * ahead; {@link #build()} refuses a program that breaks either rule. Two things keep a long
 * filter within range: {@link #ja} (unconditional, 32-bit offset), and labels that may be
 * defined more than once: a jump goes to the <em>nearest</em> definition ahead of it, so a block
 * of returns ({@code allow}, {@code eperm}) can be repeated wherever a jump would otherwise be
 * too long.
 */
public final class Bpf {
    /**
     * <pre>struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; };</pre>
     */
    public static final StructLayout SOCK_FILTER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("code"), JAVA_BYTE.withName("jt"), JAVA_BYTE.withName("jf"), JAVA_INT.withName("k"));
    // offsets, not var handles: SeccompFilter reads them on a restricted thread with the plain accessors it used before
    static final long CODE = SOCK_FILTER.byteOffset(groupElement("code"));
    static final long JT = SOCK_FILTER.byteOffset(groupElement("jt"));
    static final long JF = SOCK_FILTER.byteOffset(groupElement("jf"));
    static final long K = SOCK_FILTER.byteOffset(groupElement("k"));

    // <linux/bpf_common.h>
    static final int LD_W_ABS = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS
    static final int ALU_AND_K = 0x04 | 0x50 | 0x00; // BPF_ALU | BPF_AND | BPF_K
    static final int JMP_JA = 0x05 | 0x00; // BPF_JMP | BPF_JA
    static final int JMP_JEQ_K = 0x05 | 0x10 | 0x00; // BPF_JMP | BPF_JEQ | BPF_K
    static final int JMP_JGE_K = 0x05 | 0x30 | 0x00; // BPF_JMP | BPF_JGE | BPF_K
    static final int JMP_JSET_K = 0x05 | 0x40 | 0x00; // BPF_JMP | BPF_JSET | BPF_K
    static final int RET_K = 0x06 | 0x00; // BPF_RET | BPF_K

    /** One instruction; jump targets are labels until {@link #build()}. */
    public record Insn(int code, String jt, String jf, int k) {}

    private final List<Insn> code = new ArrayList<>();
    /** Each label's definitions, in program order. */
    private final Map<String, List<Integer>> labels = new HashMap<>();

    /** A = 32-bit word at {@code offset} of {@code struct seccomp_data}. */
    public Bpf load(int offset) {
        code.add(new Insn(LD_W_ABS, null, null, offset));
        return this;
    }

    /** A &= k. */
    public Bpf and(int k) {
        code.add(new Insn(ALU_AND_K, null, null, k));
        return this;
    }

    /** If A == k go to {@code ifTrue}, else to {@code ifFalse} (null: the next instruction). */
    public Bpf jeq(int k, String ifTrue, String ifFalse) {
        code.add(new Insn(JMP_JEQ_K, ifTrue, ifFalse, k));
        return this;
    }

    /** Go to {@code label} (any distance ahead). */
    public Bpf ja(String label) {
        code.add(new Insn(JMP_JA, label, null, 0));
        return this;
    }

    /** If A >= k (unsigned) go to {@code ifTrue}, else to {@code ifFalse}. */
    public Bpf jge(int k, String ifTrue, String ifFalse) {
        code.add(new Insn(JMP_JGE_K, ifTrue, ifFalse, k));
        return this;
    }

    /** If A & k != 0 go to {@code ifTrue}, else to {@code ifFalse}. */
    public Bpf jset(int k, String ifTrue, String ifFalse) {
        code.add(new Insn(JMP_JSET_K, ifTrue, ifFalse, k));
        return this;
    }

    /** Return {@code action} (a SECCOMP_RET_* value). */
    public Bpf ret(int action) {
        code.add(new Insn(RET_K, null, null, action));
        return this;
    }

    /** Names the next instruction; a name may be given to several (jumps go to the nearest ahead). */
    public Bpf label(String name) {
        List<Integer> at = labels.computeIfAbsent(name, n -> new ArrayList<>());
        if (!at.isEmpty() && at.getLast() == code.size()) {
            throw new IllegalArgumentException("label defined twice at the same instruction: " + name);
        }
        at.add(code.size());
        return this;
    }

    /** The number of instructions so far. */
    public int size() {
        return code.size();
    }

    /** The program with jumps resolved: {code, jt, jf, k} per instruction. */
    public List<int[]> build() {
        List<int[]> out = new ArrayList<>(code.size());
        for (int i = 0; i < code.size(); i++) {
            Insn insn = code.get(i);
            if (insn.code() == JMP_JA) {
                out.add(new int[] {JMP_JA, 0, 0, offset(i, insn.jt(), Integer.MAX_VALUE)});
            } else {
                out.add(new int[] {insn.code(), offset(i, insn.jt(), 255), offset(i, insn.jf(), 255), insn.k()});
            }
        }
        return out;
    }

    private int offset(int from, String label, int limit) {
        if (label == null) {
            return 0;
        }
        List<Integer> definitions = labels.get(label);
        if (definitions == null) {
            throw new IllegalStateException("undefined label " + label);
        }
        int to = definitions.stream().filter(d -> d > from).findFirst().orElseThrow(() ->
                new IllegalStateException("no definition of " + label + " after instruction " + from
                        + " (classic BPF jumps only forward)"));
        int offset = to - from - 1;
        if (offset > limit) {
            throw new IllegalStateException("jump from " + from + " to " + label + " is out of range: " + offset);
        }
        return offset;
    }

    /** Writes a built program as {@code struct sock_filter[]} into {@code target}. */
    public static void write(List<int[]> program, MemorySegment target) {
        long stride = SOCK_FILTER.byteSize();
        for (int i = 0; i < program.size(); i++) {
            int[] insn = program.get(i);
            target.set(JAVA_SHORT, i * stride + CODE, (short) insn[0]);
            target.set(JAVA_BYTE, i * stride + JT, (byte) insn[1]);
            target.set(JAVA_BYTE, i * stride + JF, (byte) insn[2]);
            target.set(JAVA_INT, i * stride + K, insn[3]);
        }
    }
}
