package dev.awssandbox.core.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The body of a plain request, delimited as RFC 9112 §6.3 says and forwarded exactly: {@code
 * Content-Length} bytes, or a chunked message up to the empty line that ends its trailer section,
 * or nothing. What the client sends after it is never forwarded: a server that ignores the proxy's
 * {@code Connection: close} would read it as a further request, whose {@code Host} the proxy never
 * judged (request smuggling past the allow-list).
 *
 * <p>A chunked body is read strictly, and more strictly than the RFC where recipients are known to
 * disagree: every line ends in CRLF (never a bare LF or CR); a chunk size is hex digits only (no
 * sign, {@code 0x}, whitespace or underscore, as some parsers accept) and fits a {@code long};
 * extensions are {@code ;name} or {@code ;name=value} (a token, or a quoted string) with no
 * whitespace around them; chunk data is followed by CRLF (some servers skip any two bytes there);
 * a trailer line is a header line as {@link Head} reads them, never {@code Host},
 * {@code Content-Length} or {@code Transfer-Encoding} (RFC 9110 §6.5.1 forbids them there; a server
 * that merges trailers into the header would go by them); no line is longer than {@link #MAX_LINE}
 * bytes. A chunk-size or trailer line is forwarded once it is whole and valid, chunk data as it
 * comes: the server never gets a byte of the part that was malformed.
 *
 * <p>Bodies stream: the client's bytes pass through one bounded buffer, whatever their size.
 */
final class RequestBody {
    /** The longest chunk-size line (extensions included) or trailer line. */
    static final int MAX_LINE = 8 * 1024;

    /** Trailer fields a sender must not generate (RFC 9110 §6.5.1): the framing and routing the proxy judged. */
    private static final List<String> NOT_IN_TRAILERS = List.of("host", "content-length", "transfer-encoding");

    private RequestBody() {}

    /** How a plain request's body ends (RFC 9112 §6.3). */
    sealed interface Framing {
        /** Neither {@code Content-Length} nor {@code Transfer-Encoding}: a request without a body. */
        record None() implements Framing {}

        /** {@code Content-Length}: that many bytes. */
        record Length(long bytes) implements Framing {}

        /** {@code Transfer-Encoding: chunked}: up to the last chunk and the trailer section. */
        record Chunked() implements Framing {}

        /**
         * The framing of a head that {@link Request#ambiguity} found unambiguous: at most one of
         * {@code Transfer-Encoding} (then exactly {@code chunked}) and {@code Content-Length} (then
         * 1 to 18 digits).
         */
        static Framing of(Head head) {
            if (!head.headers("transfer-encoding").isEmpty()) {
                return new Chunked();
            }
            List<String> lengths = head.headers("content-length");
            return lengths.isEmpty() ? new None() : new Length(Long.parseLong(lengths.getFirst()));
        }
    }

    /** How forwarding a body ended. */
    sealed interface Outcome {
        /** The body was forwarded whole; the client's bytes after it, if any, are still unread in the {@link Input}. */
        record Complete() implements Outcome {}

        /** The client's connection ended before the body did. */
        record Truncated() implements Outcome {}

        /** The chunked framing was malformed ({@code why}); what came before the malformed part was forwarded. */
        record Malformed(String why) implements Outcome {}
    }

    /** What the client sends: first the bytes read with the head, then its connection, through one buffer. */
    static final class Input {
        private final SocketChannel channel;
        private final ByteBuffer buffer;
        private ByteBuffer current;

        /**
         * @param alreadyRead bytes read past the head ({@link Head#rest}), consumed first
         * @param buffer      the buffer for the rest, reused (a pooled one)
         */
        Input(SocketChannel channel, ByteBuffer alreadyRead, ByteBuffer buffer) {
            this.channel = channel;
            this.buffer = buffer;
            this.current = alreadyRead;
        }

        /** Whether unread bytes are at hand, reading more when none are; false when the client's side has ended. */
        boolean fill() throws IOException {
            if (current.hasRemaining()) {
                return true;
            }
            current = buffer;
            buffer.clear();
            int n = channel.read(buffer); // blocking, into a buffer with room: at least one byte, or the end
            buffer.flip();
            return n > 0;
        }

        private int next() {
            return current.get() & 0xff;
        }

        /** Writes up to {@code max} of the bytes at hand to {@code to}, counted in {@code sent} first; how many. */
        private int forward(long max, SocketChannel to, LongAdder sent) throws IOException {
            int n = (int) Math.min(max, current.remaining());
            ByteBuffer part = current.slice(current.position(), n);
            sent.add(n); // before it is passed on, as the tunnels count (EgressProxy.pump)
            while (part.hasRemaining()) {
                to.write(part);
            }
            current.position(current.position() + n);
            return n;
        }
    }

    /** The client ended before the body did. */
    private static final class EndedEarly extends Exception {
        private static final long serialVersionUID = 1L;

        EndedEarly() {
            super(null, null, false, false);
        }
    }

    /** The chunked framing is malformed; the message says how. */
    static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Forwards the body that {@code framing} delimits from {@code in} to {@code upstream}, counting
     * the bytes forwarded in {@code sent}, and forwards nothing past it: bytes the client sent after
     * it that were read with it stay in {@code in}.
     *
     * @throws IOException when either connection fails
     */
    static Outcome forward(Framing framing, Input in, SocketChannel upstream, LongAdder sent) throws IOException {
        try {
            switch (framing) {
                case Framing.None none -> {
                    // no body: the request ends with its head
                }
                case Framing.Length length -> copy(in, length.bytes(), upstream, sent);
                case Framing.Chunked chunked -> chunks(in, upstream, sent);
            }
            return new Outcome.Complete();
        } catch (EndedEarly e) {
            return new Outcome.Truncated();
        } catch (Bad e) {
            return new Outcome.Malformed(e.getMessage());
        }
    }

    /** Exactly {@code bytes} bytes, as they come. */
    private static void copy(Input in, long bytes, SocketChannel upstream, LongAdder sent) throws IOException, EndedEarly {
        long remaining = bytes;
        while (remaining > 0) {
            if (!in.fill()) {
                throw new EndedEarly();
            }
            remaining -= in.forward(remaining, upstream, sent);
        }
    }

    /** {@code chunked-body = *chunk last-chunk trailer-section CRLF} (RFC 9112 §7.1). */
    private static void chunks(Input in, SocketChannel upstream, LongAdder sent) throws IOException, EndedEarly, Bad {
        while (true) {
            String line = line(in);
            long size = chunkSize(line);
            send(upstream, line + "\r\n", sent);
            if (size == 0) {
                break; // the last chunk
            }
            copy(in, size, upstream, sent);
            crlf(in);
            send(upstream, "\r\n", sent);
        }
        while (true) {
            String line = line(in);
            if (line.isEmpty()) {
                send(upstream, "\r\n", sent);
                return; // the end of the trailer section, and of the body
            }
            checkTrailer(line);
            send(upstream, line + "\r\n", sent);
        }
    }

    /** The CRLF after chunk data: some servers skip any two bytes there, and would read others as data or a size. */
    private static void crlf(Input in) throws IOException, EndedEarly, Bad {
        for (int expected : new int[] {'\r', '\n'}) {
            if (!in.fill()) {
                throw new EndedEarly();
            }
            if (in.next() != expected) {
                throw new Bad("chunk data not followed by CRLF");
            }
        }
    }

    /** One line without its CRLF: only CRLF ends it, no control character but HTAB is in it, at most {@link #MAX_LINE} bytes. */
    private static String line(Input in) throws IOException, EndedEarly, Bad {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.fill()) {
                throw new EndedEarly();
            }
            int b = in.next();
            if (b == '\r') {
                if (!in.fill()) {
                    throw new EndedEarly();
                }
                if (in.next() != '\n') {
                    throw new Bad("a CR that does not end a line");
                }
                return sb.toString();
            }
            if (b == '\n') {
                throw new Bad("a line ends in a bare LF, not CRLF");
            }
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw new Bad("a control character (" + (b == 0 ? "NUL" : String.format("0x%02x", b)) + ")");
            }
            if (sb.length() == MAX_LINE) {
                throw new Bad("a line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) b);
        }
    }

    /** {@code chunk-size [ chunk-ext ]}: hex digits, then {@code ;name} or {@code ;name=value} extensions, no whitespace. */
    static long chunkSize(String line) throws Bad {
        long size = 0;
        int i = 0;
        for (; i < line.length() && hexDigit(line.charAt(i)) >= 0; i++) {
            if (size > (Long.MAX_VALUE >> 4)) {
                // a server that overflowed would read another size, and the rest of the data as requests
                throw new Bad("a chunk size too large");
            }
            size = (size << 4) | hexDigit(line.charAt(i));
        }
        if (i == 0) {
            throw new Bad("a chunk size that does not start with a hex digit");
        }
        while (i < line.length()) {
            if (line.charAt(i) != ';') {
                throw new Bad("a chunk size followed by '" + EgressProxy.printable(line.substring(i, i + 1))
                        + "', not by ';' or the line's end");
            }
            i = token(line, i + 1, "a chunk extension's name");
            if (i < line.length() && line.charAt(i) == '=') {
                i = i + 1 < line.length() && line.charAt(i + 1) == '"'
                        ? quotedString(line, i + 1) : token(line, i + 1, "a chunk extension's value");
            }
        }
        return size;
    }

    /** 0 to 15, or -1: ASCII hex digits only. */
    private static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** The end of the token that starts at {@code from}, at least one character. */
    private static int token(String line, int from, String what) throws Bad {
        int i = from;
        while (i < line.length() && Head.isTokenChar(line.charAt(i))) {
            i++;
        }
        if (i == from) {
            throw new Bad(what + " is not a token");
        }
        return i;
    }

    /** The end of the quoted string that starts at {@code from} (its '"'); the line has no control character but HTAB. */
    private static int quotedString(String line, int from) throws Bad {
        for (int i = from + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++; // a quoted pair: the next character, whichever, is part of the string
            }
        }
        throw new Bad("a chunk extension's quoted value is not closed");
    }

    private static void checkTrailer(String line) throws Bad {
        try {
            Head.checkHeaderLine(line);
        } catch (Head.Malformed e) {
            throw new Bad("a trailer line: " + e.getMessage());
        }
        String name = line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT);
        if (NOT_IN_TRAILERS.contains(name)) {
            throw new Bad("a " + name + " trailer field (framing and routing are the header's alone)");
        }
    }

    /** A validated line of the chunked framing; it is exactly what the client sent (ISO-8859-1 is byte for byte). */
    private static void send(SocketChannel upstream, String text, LongAdder sent) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        sent.add(bytes.remaining());
        while (bytes.hasRemaining()) {
            upstream.write(bytes);
        }
    }
}
