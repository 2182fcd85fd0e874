package dev.awssandbox.core.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP request head as a proxy client sent it: the request line, the header lines, and whatever
 * the client sent after the blank line (the start of a body, or of a TLS handshake), which the
 * proxy forwards first.
 *
 * <p>Only a head that every HTTP/1.1 recipient reads the same way is read (RFC 9112 §2.2, §5):
 * lines end in CRLF, never in a bare LF or CR; no control character but HTAB (NUL among them); no
 * folded line (obs-fold) and no whitespace before the first header line; each header line is a
 * field name (token characters), a colon right after it, and a value. A server that takes a bare
 * LF for a line end, or unfolds a line, would see headers the proxy did not (request smuggling):
 * such a head is {@link Malformed}.
 *
 * @param requestLine the first line
 * @param headerLines every header line, without the line ends
 * @param rest        bytes read past the head
 */
record Head(String requestLine, List<String> headerLines, ByteBuffer rest) {

    /** The head did not end within the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("request head too large");
        }
    }

    /** The head is not one every recipient reads the same way; the message says why. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String why) {
            super(why);
        }
    }

    /** Reads one head; null when the client closed before sending one. */
    static Head read(SocketChannel channel, int maxBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(maxBytes);
        int checked = 0; // the bytes before it are part of the head, and well-formed
        while (true) {
            if (!buffer.hasRemaining()) {
                throw new TooLarge();
            }
            int n = channel.read(buffer);
            if (n < 0) {
                return null;
            }
            byte[] array = buffer.array();
            int end = buffer.position();
            for (; checked < end; checked++) {
                int b = array[checked] & 0xff;
                int before = checked > 0 ? array[checked - 1] & 0xff : -1;
                if (before == '\r' && b != '\n') {
                    throw new Malformed("a CR that does not end a line");
                }
                if (b == '\n' && before != '\r') {
                    throw new Malformed("a line ends in a bare LF, not CRLF");
                }
                if (b == '\n' && checked >= 3 && array[checked - 2] == '\n' && array[checked - 3] == '\r') {
                    String text = new String(array, 0, checked - 3, StandardCharsets.ISO_8859_1);
                    ByteBuffer rest = ByteBuffer.wrap(java.util.Arrays.copyOfRange(array, checked + 1, end));
                    List<String> lines = List.of(text.split("\r\n", -1));
                    List<String> headerLines = List.copyOf(lines.subList(1, lines.size()));
                    for (String line : headerLines) {
                        checkHeaderLine(line);
                    }
                    return new Head(lines.getFirst(), headerLines, rest);
                }
                if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') || b == 0x7f) {
                    throw new Malformed("a control character (" + (b == 0 ? "NUL" : String.format("0x%02x", b)) + ")");
                }
            }
        }
    }

    /**
     * A field name of token characters, a colon right after it, a value (RFC 9112 §5, RFC 9110 §5.6.2);
     * a chunked body's trailer lines too ({@link RequestBody}).
     */
    static void checkHeaderLine(String line) throws Malformed {
        if (line.startsWith(" ") || line.startsWith("\t")) {
            throw new Malformed("a folded header line (obs-fold), or whitespace before the first header");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new Malformed("a header line without a field name and colon");
        }
        for (int i = 0; i < colon; i++) {
            if (!isTokenChar(line.charAt(i))) {
                throw new Malformed("a header's name has '" + EgressProxy.printable(String.valueOf(line.charAt(i)))
                        + "' in it (whitespace before the colon, or not a token)");
            }
        }
    }

    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** The values of one header (any case). */
    List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                values.add(line.substring(colon + 1).strip());
            }
        }
        return values;
    }
}
