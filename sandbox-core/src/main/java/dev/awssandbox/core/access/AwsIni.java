package dev.awssandbox.core.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The AWS config and credentials files read as botocore reads them (red team, round 23, F1: a
 * parser of our own took only {@code key = value}, so {@code credential_process: ~/proj/cred.sh}
 * named nothing and the script ran at the next host {@code aws}): Python's
 * {@code configparser.RawConfigParser} with its defaults, which {@code botocore.configloader.raw_config_parse}
 * uses — the first {@code =} or {@code :} separates key and value, keys lower-cased, a line
 * indented deeper than its option's line continues the value (joined with a newline), {@code #}
 * and {@code ;} start comment lines only, a blank line inside a value is kept, no interpolation;
 * and {@code credential_process} split as {@code shlex.split} splits it (botocore's
 * {@code compat_shell_split} on POSIX). Where Python's parse would fail (no section header, a line
 * that is no option, a duplicate), botocore reads nothing and runs nothing; this reader carries on
 * and names what the lines hold, which only names more. {@code NamedFilesOracleTest} compares both
 * with the installed Python and botocore.
 */
public final class AwsIni {
    private AwsIni() {
    }

    /** One option as configparser keeps it: {@code section} is {@code DEFAULT} for the defaults, empty before any header. */
    public record Option(String section, String key, String value) {}

    /** A file's section names (each header, in file order) and options. */
    public record Ini(List<String> sections, List<Option> options) {}

    /** The options of {@code text}, in file order (a duplicate, which makes Python fail, kept each time). */
    static List<Option> parse(String text) {
        return read(text).options();
    }

    /** The sections and options of {@code text}. */
    public static Ini read(String text) {
        List<String> sections = new ArrayList<>();
        List<String[]> heads = new ArrayList<>(); // {section, key}
        List<List<String>> values = new ArrayList<>();
        String section = null;
        List<String> current = null;
        int indentLevel = 0;
        for (String line : text.lines().toList()) { // \n, \r and \r\n, as Python's universal newlines
            String stripped = strip(line);
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            if (comment || stripped.isEmpty()) {
                if (!comment && section != null && current != null) {
                    current.add(""); // an empty line inside a value is kept (joined with a newline)
                }
                continue;
            }
            int indent = firstNonSpace(line);
            if (section != null && current != null && indent > indentLevel) {
                current.add(stripped);
                continue;
            }
            indentLevel = indent;
            int close = stripped.lastIndexOf(']');
            if (stripped.startsWith("[") && close >= 2) { // \[(?P<header>.+)\], matched at the start only
                section = stripped.substring(1, close);
                sections.add(section);
                current = null;
                continue;
            }
            if (section == null) {
                section = ""; // Python: MissingSectionHeaderError (botocore reads nothing); read on
            }
            int delimiter = firstDelimiter(stripped);
            if (delimiter < 0) {
                continue; // Python: a ParsingError at the end; the option before still takes continuations
            }
            String key = rstrip(stripped.substring(0, delimiter)).toLowerCase(Locale.ROOT);
            current = new ArrayList<>(List.of(strip(stripped.substring(delimiter + 1))));
            heads.add(new String[] {section, key});
            values.add(current);
        }
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            options.add(new Option(heads.get(i)[0], heads.get(i)[1], rstrip(String.join("\n", values.get(i)))));
        }
        return new Ini(List.copyOf(sections), List.copyOf(options));
    }

    private static int firstDelimiter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '=' || s.charAt(i) == ':') {
                return i;
            }
        }
        return -1;
    }

    private static int firstNonSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return i;
            }
        }
        return 0;
    }

    /** Python's {@code str.strip()}. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code str.isspace()} (and {@code \s} of its {@code re}), which is not Java's {@code Character.isWhitespace}. */
    static boolean isSpace(char c) {
        return c >= '\t' && c <= '\r' || c >= '\u001c' && c <= ' ' || c == '\u0085' || c == '\u00a0'
                || c == '\u1680' || c >= '\u2000' && c <= '\u200a' || c == '\u2028' || c == '\u2029'
                || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }

    /**
     * {@code value} split as Python's {@code shlex.split} splits it (POSIX: {@code '…'} literal,
     * {@code "…"} with {@code \"} and {@code \\}, a backslash outside quotes takes the next
     * character, adjacent quoted parts join, blanks are space, tab, CR and LF); empty where it
     * raises (an unclosed quote, a trailing backslash: botocore runs nothing).
     */
    static Optional<List<String>> shlexSplit(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        char state = ' ';
        char escaped = ' ';
        for (int i = 0; i <= value.length(); i++) {
            boolean end = i == value.length();
            char c = end ? 0 : value.charAt(i);
            boolean blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            switch (state) {
                case ' ' -> {
                    if (end || blank) {
                        continue;
                    }
                    if (c == '\\') {
                        escaped = 'a';
                        state = '\\';
                    } else if (c == '\'' || c == '"') {
                        state = c;
                    } else {
                        token.append(c);
                        state = 'a';
                    }
                }
                case 'a' -> {
                    if (end || blank) {
                        words.add(token.toString()); // a word: never empty unless quoted ('')
                        token.setLength(0);
                        quoted = false;
                        state = ' ';
                    } else if (c == '\'' || c == '"') {
                        state = c;
                    } else if (c == '\\') {
                        escaped = 'a';
                        state = '\\';
                    } else {
                        token.append(c);
                    }
                }
                case '\'', '"' -> {
                    quoted = true;
                    if (end) {
                        return Optional.empty(); // "No closing quotation"
                    }
                    if (c == state) {
                        state = 'a';
                    } else if (c == '\\' && state == '"') {
                        escaped = state;
                        state = '\\';
                    } else {
                        token.append(c);
                    }
                }
                default -> { // after a backslash
                    if (end) {
                        return Optional.empty(); // "No escaped character"
                    }
                    if (escaped == '"' && c != '\\' && c != '"') {
                        token.append('\\');
                    }
                    token.append(c);
                    state = escaped;
                }
            }
        }
        return Optional.of(words);
    }
}
