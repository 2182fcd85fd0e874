package dev.awssandbox.core.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the shell's printers ({@code echo}, {@code printf}, zsh's {@code print}) write when their words are literal: a
 * start-up file that runs what one prints ({@code eval "$(echo '. x')"}, {@code $(echo . x)}, {@code source <(echo …)},
 * a file it writes and then sources, by a redirection, {@code tee}, {@code dd} or an earlier {@code exec >f}) runs that
 * text as code, so the reader reads it as code (outside test RT63, F1-F5). A word with a parameter, a substitution or a
 * pattern is taken as written: the text is over-inclusive, never run.
 */
final class PrintedText {
    private PrintedText() {}

    /** The most texts and substitutions taken from one line or file: past it, the rest is read as written. */
    private static final int MOST = 16;

    /** A printer where a command starts, its words (group 2) to the command's end. */
    private static final Pattern PRINTER = Pattern.compile("(?<![\\w.$/-])(echo|printf|print)(?![\\w.-])"
            + "((?:[ \\t]++(?:'[^'\\n]*+'|\"(?:[^\"\\\\\\n]|\\\\.)*+\"|\\\\.|[^\\s;&|()`<>'\"\\\\])++)*+)");

    /** A command substitution that is a printer alone, {@code $(echo …)} or a backquoted one: its command, group 1 or 2. */
    private static final Pattern PRINTER_SUBSTITUTION = Pattern.compile(
            "\\$\\([ \\t]*+((?:echo|printf|print)(?:[ \\t]++(?:'[^'\\n]*+'|\"(?:[^\"\\\\\\n]|\\\\.)*+\"|\\\\.|[^\\s;&|()`<>'\"\\\\])++)*+)[ \\t]*+\\)"
                    + "|`[ \\t]*+((?:echo|printf|print)(?:[ \\t]++(?:'[^'\\n`]*+'|\"(?:[^\"\\\\\\n`]|\\\\.)*+\"|\\\\.|[^\\s;&|()`<>'\"\\\\])++)*+)[ \\t]*+`");

    /** Where a line passes a printer's output on: a substitution, a pipe, a redirection to a file or a descriptor. */
    private static final Pattern OUTPUT_PASSED_ON = Pattern.compile("\\$\\(|`|[<>=]\\(|\\||>");

    /** An {@code exec} that sends the shell's own standard output (or a descriptor) elsewhere: every later printer writes there. */
    private static final Pattern EXEC_REDIRECTION = Pattern.compile("\\bexec\\b[^\\n;&|]*?>");

    /**
     * {@code code} with each substitution that is a printer alone replaced by what it prints ({@code "$(echo .)" x}
     * becomes {@code "." x}), innermost first; {@code code} itself when there is none.
     */
    static String inPlace(String code) {
        if (code.indexOf("echo") < 0 && code.indexOf("print") < 0) {
            return code;
        }
        String out = code;
        for (int round = 0; round < 4; round++) {
            Matcher m = PRINTER_SUBSTITUTION.matcher(out);
            int[] count = {0};
            String next = m.replaceAll(found -> {
                String command = found.group(1) != null ? found.group(1) : found.group(2);
                return Matcher.quoteReplacement(count[0]++ < MOST ? printed(command).map(PrintedText::withoutLastNewline)
                        .orElse(found.group()) : found.group());
            });
            if (next.equals(out)) {
                break;
            }
            out = next;
        }
        return out;
    }

    /**
     * The lines the printers on {@code line} write where the line passes their output on (a substitution, a pipe, a
     * file), or anywhere when {@code code} sends the shell's output elsewhere with {@code exec}; none otherwise (a
     * printer to the terminal runs nothing).
     */
    static List<String> passedOn(String line, String code) {
        if (line.indexOf("echo") < 0 && line.indexOf("print") < 0
                || !OUTPUT_PASSED_ON.matcher(line).find() && !EXEC_REDIRECTION.matcher(code).find()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Matcher m = PRINTER.matcher(line); m.find() && lines.size() < MOST; ) {
            printed(m.group()).ifPresent(text -> {
                for (String printedLine : text.split("\n")) {
                    if (!printedLine.isBlank() && lines.size() < MOST) {
                        lines.add(printedLine);
                    }
                }
            });
        }
        return lines;
    }

    /** What {@code command} (a printer and its words) prints; empty when it is no printer. */
    static Optional<String> printed(String command) {
        List<String> words = words(command);
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String name = words.getFirst();
        List<String> args = words.subList(1, words.size());
        return switch (name) {
            case "echo" -> Optional.of(echoed(args));
            case "print" -> Optional.of(zshPrinted(args));
            case "printf" -> Optional.of(formatted(args));
            default -> Optional.empty();
        };
    }

    /** echo's options ({@code -n}, {@code -e}, {@code -E}) off, its words joined; escapes read as bash's -e and zsh read them. */
    private static String echoed(List<String> args) {
        int i = 0;
        while (i < args.size() && args.get(i).matches("-[neE]++")) {
            i++;
        }
        return escapes(String.join(" ", args.subList(i, args.size()))) + "\n";
    }

    /** zsh's print: its options off ({@code -l} puts each word on a line of its own), its words joined. */
    private static String zshPrinted(List<String> args) {
        int i = 0;
        boolean lines = false;
        while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
            if (args.get(i).equals("--") || args.get(i).equals("-")) {
                i++;
                break;
            }
            lines |= args.get(i).indexOf('l') > 0;
            i++;
        }
        return escapes(String.join(lines ? "\n" : " ", args.subList(i, args.size()))) + "\n";
    }

    /** printf: its format with each conversion given the next word, again while words are left; {@code -v NAME} taken off. */
    private static String formatted(List<String> args) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
            if (args.get(i).equals("--")) {
                i++;
                break;
            }
            i += args.get(i).equals("-v") ? 2 : 1;
        }
        if (i >= args.size()) {
            return "";
        }
        String format = escapes(args.get(i));
        List<String> operands = args.subList(i + 1, args.size());
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int round = 0; round < MOST; round++) {
            int before = next;
            StringBuilder pass = new StringBuilder();
            for (int c = 0; c < format.length(); c++) {
                char ch = format.charAt(c);
                if (ch != '%' || c + 1 >= format.length()) {
                    pass.append(ch);
                    continue;
                }
                if (format.charAt(c + 1) == '%') {
                    pass.append('%');
                    c++;
                    continue;
                }
                int end = c + 1;
                while (end < format.length() && "-+ #0123456789.*".indexOf(format.charAt(end)) >= 0) {
                    end++;
                }
                pass.append(next < operands.size() ? escapes(operands.get(next++)) : "");
                c = end; // the conversion's letter
            }
            out.append(pass);
            if (next == before || next >= operands.size()) {
                break; // no conversion took a word, or none is left
            }
        }
        return out.toString();
    }

    /** The backslash escapes that make a line's end or a blank ({@code \n}, {@code \t}); the others as written. */
    private static String escapes(String text) {
        return text.replace("\\n", "\n").replace("\\t", "\t");
    }

    private static String withoutLastNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * The words of a simple command as the shell takes its quotes off: {@code '…'} as written, {@code "…"} with
     * {@code \"}, {@code \\}, {@code \$} and {@code \`} unescaped, a backslash outside quotes escaping the next
     * character (a blank too: {@code .\ x} is one word). Ends at an unquoted operator.
     */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (";&|()`<>\n".indexOf(c) >= 0) {
                break;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                end = end < 0 ? command.length() : end;
                word.append(command, i + 1, end);
                i = end;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < command.length() && command.charAt(j) != '"'; j++) {
                    char d = command.charAt(j);
                    if (d == '\\' && j + 1 < command.length() && "\"\\$`".indexOf(command.charAt(j + 1)) >= 0) {
                        d = command.charAt(++j);
                    }
                    word.append(d);
                }
                i = j;
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
