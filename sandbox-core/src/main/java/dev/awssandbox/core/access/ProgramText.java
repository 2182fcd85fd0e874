package dev.awssandbox.core.access;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Program text given to sed or awk, which is neither a path nor a command (false positives found checking real
 * configurations; session of 2026-12-03): {@code !git log | sed -e 's/^/  /'} named {@code s/^} in the working
 * directory, and {@code awk -F/ '{print $2"/"$3}'} read {@code $2} as a variable the command cannot know.
 *
 * <p>A word is program text only when all of these hold, and is otherwise read as before (its pieces named,
 * read again as a command):
 * <ul>
 *   <li>sed or awk is the command's name (not after {@code eval}, which reads its words again as shell);</li>
 *   <li>the word is where that program takes its program: sed's {@code -e} values, else its first operand;
 *   awk's first operand after {@code -v}/{@code -F} only (any other option: not read here);</li>
 *   <li>the word is {@linkplain CommandWords.Word#literal literal}: the shell expands nothing in it, so its text
 *   is the program the host runs;</li>
 *   <li>sed: the script parses, as both GNU and BSD sed split it, into commands that run nothing and name no file
 *   (not {@code e}, {@code s///e}, {@code r}, {@code R}, {@code w}, {@code W}, {@code s///w}); a script with
 *   {@code e} runs its input or its text as shell commands and is {@code unknown} (fails closed);</li>
 *   <li>awk: the program has no {@code system}, pipe, {@code @include}/{@code @load} or {@code getline}
 *   ({@link Interpreters#awkRuns}: {@link ScriptScan} makes those unknown).</li>
 * </ul>
 */
final class ProgramText {
    private ProgramText() {}

    private static final Pattern SED = Pattern.compile("g?sed");
    private static final Pattern AWK = Pattern.compile("[gmn]?awk");
    private static final Set<String> SED_LONG_FLAGS = Set.of("--quiet", "--silent", "--regexp-extended", "--separate",
            "--null-data", "--zero-terminated", "--unbuffered", "--posix", "--sandbox", "--debug", "--in-place");

    /** Which words of {@code split} are program text; why a sed program that runs commands cannot be known, into {@code unknown}. */
    static boolean[] positions(List<CommandWords.Word> split, List<String> unknown) {
        boolean[] program = new boolean[split.size()];
        for (int i = 0; i < split.size(); i++) {
            CommandWords.Word word = split.get(i);
            String name = word.text().substring(word.text().lastIndexOf('/') + 1);
            boolean sed = SED.matcher(name).matches();
            if (!(sed || AWK.matcher(name).matches()) || !commandName(split, i)) {
                continue;
            }
            int to = i + 1;
            while (to < split.size() && split.get(to).command() == word.command()) {
                to++;
            }
            if (!sed) {
                for (int p : awkProgram(split, i + 1, to)) {
                    program[p] = split.get(p).literal() && !Interpreters.awkRuns(split.get(p).text());
                }
                continue;
            }
            SedPrograms programs = sedPrograms(split, i + 1, to);
            if (programs.unknownOption() != null) {
                // its programs cannot be told from its files: one of them could run commands (red team, round 39, F4)
                unknown.add("a sed option not known here (" + programs.unknownOption() + "), which hides where its"
                        + " program is: a sed program may run commands (e, s///e)");
                continue;
            }
            for (int p : programs.positions()) {
                String text = split.get(p).text();
                Sed kind = sed(text);
                program[p] = split.get(p).literal() && kind == Sed.TEXT;
                failClosed(kind, text, unknown);
            }
            for (String text : programs.glued()) {
                failClosed(sed(text), text, unknown); // '-es/x/y/', '--expression=…': read as before, checked here
            }
        }
        return program;
    }

    /**
     * Whether word {@code i} is its command's name: in command position, or after assignments only
     * ({@code LC_ALL=C sed …}); not after {@code eval}, which reads its words again as shell, nor after {@code .}
     * or {@code source} (then {@code sed} is a script, its words that script's arguments).
     */
    private static boolean commandName(List<CommandWords.Word> split, int i) {
        for (int j = i - 1; j >= 0 && split.get(j).command() == split.get(i).command(); j--) {
            String text = split.get(j).text();
            if (Set.of("eval", ".", "source").contains(text)
                    || !split.get(j).commandPosition() && !ASSIGNMENT.matcher(text).matches()) {
                return false;
            }
        }
        return split.get(i).commandPosition() || i > 0 && split.get(i - 1).command() == split.get(i).command();
    }

    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

    /** A sed program that runs commands, or one not parsed here (which could hide one), fails closed. */
    private static void failClosed(Sed kind, String text, List<String> unknown) {
        if (kind == Sed.RUNS) {
            unknown.add("a sed program that runs commands (e, s///e), which come from its input: " + text);
        } else if (kind == Sed.OTHER) {
            unknown.add("a sed program not parsed here, which may run commands (e, s///e): " + text);
        }
    }

    /**
     * Where sed's programs are: the words that are one ({@code -e X}, {@code --expression X}, else the first operand),
     * the programs glued to their option ({@code -eX}, {@code --expression=X}), and the first option not known here
     * (null when none: then the programs are all found).
     */
    private record SedPrograms(List<Integer> positions, List<String> glued, String unknownOption) {}

    private static SedPrograms sedPrograms(List<CommandWords.Word> split, int from, int to) {
        List<Integer> out = new java.util.ArrayList<>();
        List<String> glued = new java.util.ArrayList<>();
        boolean fromOptions = false; // -e or -f given: the first operand is a file
        int first = -1;
        boolean operands = false;
        for (int j = from; j < to; j++) {
            String w = split.get(j).text();
            if (operands || !w.startsWith("-") || w.equals("-")) {
                first = first < 0 ? j : first;
                continue;
            }
            if (w.equals("--")) {
                operands = true;
            } else if (w.equals("--expression") || w.equals("--file") || w.equals("--line-length")) {
                fromOptions |= !w.equals("--line-length");
                if (w.equals("--expression") && j + 1 < to) {
                    out.add(j + 1);
                }
                j++;
            } else if (w.startsWith("--expression=")) {
                fromOptions = true;
                glued.add(w.substring("--expression=".length()));
            } else if (w.startsWith("--file=")) {
                fromOptions = true;
            } else if (w.startsWith("--")) {
                if (!SED_LONG_FLAGS.contains(w) && !w.startsWith("--in-place=") && !w.startsWith("--line-length=")) {
                    return new SedPrograms(List.of(), List.of(), w);
                }
            } else {
                for (int k = 1; k < w.length(); k++) {
                    char c = w.charAt(k);
                    boolean last = k == w.length() - 1;
                    if ("nErsuz".indexOf(c) >= 0) {
                        continue;
                    }
                    if ((c == 'e' || c == 'f' || c == 'l') && last) {
                        fromOptions |= c != 'l';
                        if (c == 'e' && j + 1 < to) {
                            out.add(j + 1);
                        }
                        j++;
                    } else if (c == 'e') {
                        fromOptions = true;
                        glued.add(w.substring(k + 1)); // -es/x/y/: the rest of the word is the program
                    } else if (c == 'f' || c == 'l' || c == 'i') {
                        fromOptions |= c == 'f'; // -fscript, -l5, -i.bak: the rest of the word is the value
                    } else {
                        return new SedPrograms(List.of(), List.of(), w);
                    }
                    break;
                }
            }
        }
        if (!fromOptions && first >= 0) {
            out.add(first);
        }
        return new SedPrograms(out, glued, null);
    }

    /** The position of awk's program: its first operand after {@code -v}/{@code -F} options; none after any other. */
    private static int[] awkProgram(List<CommandWords.Word> split, int from, int to) {
        for (int j = from; j < to; j++) {
            String w = split.get(j).text();
            if (w.equals("--")) {
                return j + 1 < to ? new int[] {j + 1} : new int[0];
            }
            if (w.equals("-v") || w.equals("-F")) {
                j++;
            } else if (!w.startsWith("-v") && !w.startsWith("-F")) {
                return w.startsWith("-") ? new int[0] : new int[] {j};
            }
        }
        return new int[0];
    }

    /**
     * What a sed script does: only edits text; names files ({@code r}, {@code R}, {@code w}, {@code W}, {@code s///w},
     * whose words are read as before) and runs nothing; runs commands; or a form not parsed here, which could hide
     * a command that runs (red team, round 39, F4: GNU's {@code v} before an {@code e}).
     */
    enum Sed { TEXT, FILES, RUNS, OTHER }

    /**
     * {@code script} parsed as GNU sed parses it, and only where BSD sed agrees (a delimiter inside a bracket
     * expression, which GNU ends the regular expression at and BSD does not, is {@link Sed#OTHER}); a label ends at
     * {@code ;} as in GNU (BSD reads it to the end of the line: what follows is parsed here as commands, which can
     * only find more).
     */
    static Sed sed(String s) {
        int n = s.length();
        int i = 0;
        boolean files = false;
        while (true) {
            while (i < n && (" \t\n;".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            if (i >= n) {
                return files ? Sed.FILES : Sed.TEXT;
            }
            if (s.charAt(i) == '#') {
                i = lineEnd(s, i);
                continue;
            }
            int at = address(s, i);
            if (at < 0) {
                return Sed.OTHER;
            }
            if (at > i) {
                i = blanks(s, at);
                if (i < n && s.charAt(i) == ',') {
                    i = blanks(s, i + 1);
                    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '~')) {
                        int d = digits(s, i + 1);
                        if (d == i + 1) {
                            return Sed.OTHER;
                        }
                        i = d;
                    } else {
                        int second = address(s, i);
                        if (second <= i) {
                            return Sed.OTHER;
                        }
                        i = second;
                    }
                }
            }
            i = blanks(s, i);
            while (i < n && s.charAt(i) == '!') {
                i = blanks(s, i + 1);
            }
            if (i >= n) {
                return Sed.OTHER;
            }
            char c = s.charAt(i++);
            switch (c) {
                case '{', '}' -> {
                    continue;
                }
                case '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F' -> { }
                case 'l', 'L', 'q', 'Q' -> i = digits(s, blanks(s, i));
                case 'v' -> { // GNU: the version it needs, to the end of the command
                    i = blanks(s, i);
                    while (i < n && " \t\n;}".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                }
                case 'r', 'R', 'w', 'W' -> { // a file, to the end of the line
                    files = true;
                    i = lineEnd(s, i);
                    continue;
                }
                case 'a', 'i', 'c' -> {
                    i = textEnd(s, i); // text to the end of the line (a backslash at its end continues it)
                    continue;
                }
                case ':', 'b', 't', 'T' -> {
                    i = blanks(s, i);
                    while (i < n && " \t\n;".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                }
                case 'e' -> {
                    return Sed.RUNS;
                }
                case 's', 'y' -> {
                    if (i >= n || s.charAt(i) == '\n' || s.charAt(i) == '\\') {
                        return Sed.OTHER;
                    }
                    char delimiter = s.charAt(i);
                    i = delimited(s, i + 1, delimiter, c == 's');
                    i = i < 0 ? -1 : delimited(s, i, delimiter, false);
                    if (i < 0) {
                        return Sed.OTHER;
                    }
                    while (c == 's' && i < n && "gpiImM0123456789ew".indexOf(s.charAt(i)) >= 0) {
                        if (s.charAt(i) == 'e') {
                            return Sed.RUNS;
                        }
                        if (s.charAt(i) == 'w') {
                            break;
                        }
                        i++;
                    }
                    if (c == 's' && i < n && s.charAt(i) == 'w') {
                        files = true; // s///w FILE: the file, to the end of the line
                        i = lineEnd(s, i);
                        continue;
                    }
                }
                default -> {
                    return Sed.OTHER; // not known here
                }
            }
            i = blanks(s, i);
            if (i < n && ";\n}#".indexOf(s.charAt(i)) < 0) {
                return Sed.OTHER;
            }
        }
    }

    /** The end of an address at {@code i} ({@code i} itself when there is none); -1 when it does not parse. */
    private static int address(String s, int i) {
        int n = s.length();
        if (i >= n) {
            return i;
        }
        char c = s.charAt(i);
        if (Character.isDigit(c)) {
            int end = digits(s, i);
            return end < n && s.charAt(end) == '~' ? digits(s, end + 1) : end;
        }
        if (c == '$') {
            return i + 1;
        }
        int end;
        if (c == '/') {
            end = delimited(s, i + 1, '/', true);
        } else if (c == '\\' && i + 1 < n && s.charAt(i + 1) != '\n' && s.charAt(i + 1) != '\\') {
            end = delimited(s, i + 2, s.charAt(i + 1), true);
        } else {
            return i;
        }
        while (end >= 0 && end < n && (s.charAt(end) == 'I' || s.charAt(end) == 'M')) {
            end++;
        }
        return end;
    }

    /**
     * The index after the unescaped {@code delimiter} ending the part at {@code i}; -1 when there is none, or when
     * (in a regular expression) a bracket expression holds the delimiter or does not close.
     */
    private static int delimited(String s, int i, char delimiter, boolean regex) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == delimiter) {
                return i + 1;
            } else if (c == '[' && regex) {
                int j = i + 1;
                j += j < n && s.charAt(j) == '^' ? 1 : 0;
                j += j < n && s.charAt(j) == ']' ? 1 : 0;
                while (j < n && s.charAt(j) != ']') {
                    if (s.charAt(j) == delimiter || s.charAt(j) == '\n') {
                        return -1;
                    }
                    if (s.charAt(j) == '[' && j + 1 < n && ".:=".indexOf(s.charAt(j + 1)) >= 0) {
                        int close = s.indexOf(s.charAt(j + 1) + "]", j + 2);
                        if (close < 0 || s.substring(j, close).indexOf(delimiter) >= 0) {
                            return -1;
                        }
                        j = close + 2;
                    } else {
                        j++;
                    }
                }
                if (j >= n) {
                    return -1;
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int blanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int digits(String s, int i) {
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineEnd(String s, int i) {
        int end = s.indexOf('\n', i);
        return end < 0 ? s.length() : end;
    }

    /** The end of an {@code a}, {@code i} or {@code c} command's text: a line, continued by an escaped new line. */
    private static int textEnd(String s, int i) {
        // as GNU sed's read_text: a backslash escapes the next character, so 'a x\\' ends its line (the second
        // backslash is escaped) and an 'e' on the next line is a command (red team, round 36, F1)
        while (i < s.length() && s.charAt(i) != '\n') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, s.length());
    }
}
