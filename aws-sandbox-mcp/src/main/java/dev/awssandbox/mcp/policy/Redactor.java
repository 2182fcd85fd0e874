package dev.awssandbox.mcp.policy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Replaces every known secret with {@code ****}: in whole strings ({@link #redact(String)}), and
 * in a byte stream as it arrives ({@link Sink}), where a secret split across two chunks is still
 * found because the last {@code longest - 1} bytes are held back until the next chunk or the end.
 */
public final class Redactor {
    public static final String MASK = "****";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);

    private final List<byte[]> secrets;
    private final List<String> strings;
    private final int longest;

    public Redactor(List<String> secrets) {
        java.util.List<String> all = new java.util.ArrayList<>(secrets.stream().filter(s -> !s.isEmpty()).toList());
        // and the AWS CLI's own mask of one, sixteen stars and its last four characters ('aws configure list': outside
        // test RT33, F8), after every whole value
        for (String s : List.copyOf(all)) {
            if (s.length() >= 12) {
                all.add("*".repeat(16) + s.substring(s.length() - 4));
            }
        }
        this.strings = List.copyOf(all);
        this.secrets = strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.longest = this.secrets.stream().mapToInt(b -> b.length).max().orElse(0);
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    public String redact(String text) {
        String out = text;
        for (String s : strings) { // longest first, so that a secret containing another goes whole
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** Whether the text contains any secret (for tests and assertions). */
    public boolean containsSecret(String text) {
        return strings.stream().anyMatch(text::contains);
    }

    /**
     * Collects a stream redacted, keeping at most {@code limit} bytes and counting the rest. Not
     * thread-safe: one writer, then {@link #finish()}.
     */
    public Sink sink(long limit) {
        return new Sink(limit);
    }

    /** A redacting, capped collector of one output stream. */
    public final class Sink extends OutputStream {
        private final long limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private byte[] pending = new byte[0];
        private long total;
        private boolean truncated;
        private boolean finished;

        private Sink(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (finished) {
                throw new IllegalStateException("finished");
            }
            total += len;
            byte[] joined = new byte[pending.length + len];
            System.arraycopy(pending, 0, joined, 0, pending.length);
            System.arraycopy(b, off, joined, pending.length, len);
            // bytes that cannot start a secret crossing into the next chunk are safe to release
            int hold = Math.min(joined.length, Math.max(0, longest - 1));
            release(joined, joined.length - hold);
        }

        /** Redacts and keeps {@code data[0..safe)}, holding the rest; a match may extend into the held part. */
        private void release(byte[] data, int safe) {
            int i = 0;
            int start = 0;
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
            while (i < safe) {
                int match = matchAt(data, i);
                if (match > 0) {
                    out.write(data, start, i - start);
                    out.write(MASK_BYTES, 0, MASK_BYTES.length);
                    i += match;
                    start = i;
                } else {
                    i++;
                }
            }
            int end = Math.max(start, Math.min(i, data.length));
            out.write(data, start, end - start);
            keep(out.toByteArray());
            pending = java.util.Arrays.copyOfRange(data, end, data.length);
        }

        private int matchAt(byte[] data, int at) {
            for (byte[] s : secrets) { // longest first
                if (at + s.length <= data.length && java.util.Arrays.equals(data, at, at + s.length, s, 0, s.length)) {
                    return s.length;
                }
            }
            return 0;
        }

        private void keep(byte[] bytes) {
            long room = limit - kept.size();
            if (room <= 0) {
                truncated |= bytes.length > 0;
                return;
            }
            int n = (int) Math.min(room, bytes.length);
            kept.write(bytes, 0, n);
            truncated |= n < bytes.length;
        }

        /** Releases what was held back; call once the stream has ended. */
        public synchronized Sink finish() {
            if (!finished) {
                byte[] rest = pending;
                pending = new byte[0];
                release(rest, rest.length);
                finished = true;
            }
            return this;
        }

        /** What was kept, redacted, as text. */
        public String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        /** Bytes written (before redaction). */
        public long totalBytes() {
            return total;
        }

        /** Whether more was written than kept. */
        public boolean truncated() {
            return truncated;
        }
    }
}
