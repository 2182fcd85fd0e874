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
 * @param requestLine the first line
 * @param headerLines every header line, unfolded, without the line ends
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

    /** Reads one head; null when the client closed before sending one. */
    static Head read(SocketChannel channel, int maxBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(maxBytes);
        int searched = 0;
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
            for (int i = Math.max(0, searched - 3); i + 3 < end; i++) {
                if (array[i] == '\r' && array[i + 1] == '\n' && array[i + 2] == '\r' && array[i + 3] == '\n') {
                    String text = new String(array, 0, i, StandardCharsets.ISO_8859_1);
                    ByteBuffer rest = ByteBuffer.wrap(java.util.Arrays.copyOfRange(array, i + 4, end));
                    List<String> lines = List.of(text.split("\r\n", -1));
                    return new Head(lines.getFirst(), List.copyOf(lines.subList(1, lines.size())), rest);
                }
            }
            searched = end;
        }
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
