package dev.awssandbox.mcp.policy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A parameter file's text as the AWS CLI reads it. A {@code fileb://} file reaches it as bytes, and
 * Python's {@code json} reads JSON bytes in the encoding they announce: a UTF-32, UTF-16 or UTF-8
 * byte-order mark, else the place of the zero bytes among the first four (JSON text starts with an
 * ASCII character, RFC 4627, section 3). The policy had decoded every file as UTF-8: a
 * {@code --cli-input-json fileb://} file in UTF-16 hid a second {@code Bucket}, an Object Lambda ARN
 * and another region from every check (red team, mcp round 13, F1). A {@code file://} file is text
 * the AWS CLI decodes as UTF-8 ({@link #ofText}), never by that detection (red team, mcp round 14,
 * F5). The checks and the consent question read this text.
 *
 * @param encoding the encoding found, by Java's name ({@code UTF-8}, {@code UTF-16LE}, …)
 * @param text     the content decoded in it, without its byte-order mark ({@code fileb://}; a
 *                 {@code file://} file keeps it as U+FEFF, as Python does); bytes that do not decode
 *                 replaced by U+FFFD
 * @param exact    whether every byte decoded (text rather than binary)
 */
record ParamFileText(String encoding, String text, boolean exact) {

    /** Whether the content is UTF-8 without a byte-order mark, the case every other view already covers. */
    boolean plainUtf8() {
        return encoding.equals("UTF-8");
    }

    /**
     * A {@code file://} file: the AWS CLI opens it in text mode, in the locale's encoding (UTF-8 here),
     * strictly (bytes that do not decode fail the command), and Python's {@code utf-8} codec keeps a
     * byte-order mark as U+FEFF; Python's {@code json} never sees these bytes. Reading such a file as
     * the JSON detection reads bytes showed one with NUL bytes as UTF-16 text it never is (red team,
     * mcp round 14, F5).
     */
    static ParamFileText ofText(byte[] content) {
        return decode(content, 0, StandardCharsets.UTF_8, "UTF-8"); // Java's UTF-8 decoder keeps U+FEFF too
    }

    /** A {@code fileb://} file: bytes, which Python's {@code json} decodes in the encoding they announce. */
    static ParamFileText ofBytes(byte[] content) {
        int n = content.length;
        if (startsWith(content, 0x00, 0x00, 0xFE, 0xFF)) {
            return decode(content, 4, Charset.forName("UTF-32BE"), "UTF-32BE with a byte-order mark");
        }
        if (startsWith(content, 0xFF, 0xFE, 0x00, 0x00)) {
            return decode(content, 4, Charset.forName("UTF-32LE"), "UTF-32LE with a byte-order mark");
        }
        if (startsWith(content, 0xFE, 0xFF)) {
            return decode(content, 2, StandardCharsets.UTF_16BE, "UTF-16BE with a byte-order mark");
        }
        if (startsWith(content, 0xFF, 0xFE)) {
            return decode(content, 2, StandardCharsets.UTF_16LE, "UTF-16LE with a byte-order mark");
        }
        if (startsWith(content, 0xEF, 0xBB, 0xBF)) {
            return decode(content, 3, StandardCharsets.UTF_8, "UTF-8 with a byte-order mark");
        }
        if (n >= 4 && content[0] == 0) {
            return content[1] != 0 ? decode(content, 0, StandardCharsets.UTF_16BE, "UTF-16BE")
                    : decode(content, 0, Charset.forName("UTF-32BE"), "UTF-32BE");
        }
        if (n >= 4 && content[1] == 0) {
            return content[2] != 0 || content[3] != 0 ? decode(content, 0, StandardCharsets.UTF_16LE, "UTF-16LE")
                    : decode(content, 0, Charset.forName("UTF-32LE"), "UTF-32LE");
        }
        if (n == 2 && content[0] == 0) {
            return decode(content, 0, StandardCharsets.UTF_16BE, "UTF-16BE");
        }
        if (n == 2 && content[1] == 0) {
            return decode(content, 0, StandardCharsets.UTF_16LE, "UTF-16LE");
        }
        return decode(content, 0, StandardCharsets.UTF_8, "UTF-8");
    }

    private static boolean startsWith(byte[] content, int... prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((content[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static ParamFileText decode(byte[] content, int skip, Charset charset, String encoding) {
        ByteBuffer bytes = ByteBuffer.wrap(content, skip, content.length - skip);
        try {
            String text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            return new ParamFileText(encoding, text, true);
        } catch (CharacterCodingException e) {
            return new ParamFileText(encoding, new String(content, skip, content.length - skip, charset), false);
        }
    }
}
