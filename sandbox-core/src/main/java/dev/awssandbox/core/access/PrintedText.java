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

    /**
     * Where a line passes a printer's output on: a substitution, a pipe, a redirection of the standard output to a file;
     * not to the terminal, stderr or nothing ({@code >&2}, {@code > /dev/tty}, {@code 2>/dev/null}): a message printed
     * there runs nothing (outside test RT64, M1: {@code echo "bash completion not available" >&2} had been read as the
     * shell run with a script).
     */
    private static final Pattern OUTPUT_PASSED_ON = Pattern.compile("\\$\\(|`|[<>=]\\(|(?<!\\|)\\|(?!\\|)|(?<![02-9>])>>?\\|?(?:&(?![0-9-]))?[ \\t]*+"
            + "(?!&|/dev/(?:null|tty|stderr|fd/2)(?![\\w/.-]))");

    /** A printer as the shells find it: also quoted, escaped or behind a directory ({@code 'echo'}, {@code /bin/echo}), yes, compgen. */
    private static final Pattern ANY_PRINTER = Pattern.compile(
            "(?<![\\w.$-])['\"\\\\]?(?:(?:/[\\w.-]+)*/)?(?:echo|printf|print|yes|compgen)['\"]?(?![\\w.-])");
    /**
     * A printer where a command starts, as the shells find it; in a text whose quoted strings with blanks are blanked (an
     * awk program's {@code {print $1}} is no printer).
     */
    private static final Pattern PRINTER_COMMAND = Pattern.compile("(?:^|[;&|(\\n]|\\{[ \\t]|\\b(?:then|do|else|command|builtin"
            + "|exec|env|nohup|time)\\b)[ \\t]*+['\"\\\\]?(?:(?:/[\\w.-]+)*/)?(?:echo|printf|print|yes|compgen)['\"]?(?![\\w.-])");

    /** The shell's quotes and backslashes, which a word's pieces are joined by. */
    private static final Pattern QUOTING = Pattern.compile("['\"\\\\]|\\$(?=')");

    /**
     * Where a substitution's output is code, or the file a source command reads: after {@code eval} on its line, at a
     * command's start (not an array's words, {@code COMPREPLY=( $(compgen …) )}), after {@code .} or {@code source}, in a
     * {@code -c} string, a trap's or an alias's value.
     */
    private static final Pattern CODE_BEFORE = Pattern.compile("\\beval\\b(?![^\\n]*=\\()|(?:^|[;&|]|\\{(?=[ \\t])|(?<![=$(])\\("
            + "|\\bthen|\\bdo|\\belse)[ \\t]*+[\"']?$"
            + "|(?:^|[\\s;&|({])(?:\\.|source|(?:ba|z|da|k|)sh)[ \\t]++[\"']?$|(?:^|\\s)-c[ \\t]++(?:[\"'][^\"'\\n]*+)?$"
            + "|\\btrap[ \\t]++[\"'][^\"'\\n]*+$|\\balias[ \\t]++[\\w.+-]++=[\"']?[^\"'\\n]*+$");
    /** Where a substitution's output surely is code: after {@code eval}, a source command or a shell. */
    private static final Pattern SURELY_CODE_BEFORE = Pattern.compile("\\beval\\b(?![^\\n]*=\\()"
            + "|(?:^|[\\s;&|({])(?:\\.|source|(?:ba|z|da|k|)sh)[ \\t]++[\"']?$");

    /** A printer alone whose words the reader computes: a bare name, plain words, no escape but {@code \\n} and {@code \\t}. */
    private static final Pattern COMPUTED_PRINTER = Pattern.compile("[ \\t]*+(?:echo|printf|print)"
            + "(?:[ \\t]++(?:'[^'\\\\\\n]*+'|\"[^\"\\\\$`\\n]*+\"|[^\\s;&|()`<>'\"\\\\$])++)*+[ \\t]*+");
    /** printf's conversions the reader applies: {@code %s}, {@code %d}, {@code %%}. Any other makes the text unknown. */
    private static final Pattern OTHER_CONVERSION = Pattern.compile("%(?![sdi%])");
    /** print's options the reader follows ({@code -r}, {@code -R}, {@code -n}, {@code -l}, {@code --}). */
    private static final Pattern OTHER_PRINT_OPTION = Pattern.compile("^print[ \\t]++(?:-[rRnl]++[ \\t]++|--[ \\t]++)*+-[^-rRnl\\s]");

    /**
     * An {@code exec} that sends the shell's standard output, or a descriptor but stderr, into a file: every later printer
     * may write there ({@code exec 4>&1 >f}: outside test RT63, F3). Not {@code exec 2>/dev/null}.
     */
    private static final Pattern EXEC_REDIRECTION = Pattern.compile("\\bexec\\b[^\\n;|]*?(?<![0-9>])(?:[013-9]|\\{\\w++}|&)?"
            + ">>?\\|?[ \\t]*+(?!&|/dev/(?:null|tty|stderr|fd/2)(?![\\w/.-]))[^\\s]");

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
     * file), or anywhere when {@code everyPrinter} (the file prints into code: {@link #printsIntoCode}); none otherwise (a
     * printer to the terminal runs nothing).
     */
    static List<String> passedOn(String line, boolean everyPrinter) {
        if (line.indexOf("echo") < 0 && line.indexOf("print") < 0
                || !everyPrinter && !OUTPUT_PASSED_ON.matcher(line).find()) {
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

    /**
     * Whether {@code code} runs, or sources a path made of, what a printer prints in a way the reader does not compute: a
     * substitution that holds a printer where its output is code (after {@code eval}, at a command's start, after
     * {@code .}) but is not a printer alone with plain words ({@code printf '\\x2e x'}, {@code printf '%c' .},
     * {@code echo -n '. '; echo x}, {@code /bin/echo}, {@code yes}, a substitution over several lines: outside test RT64,
     * H1-H10, H13, H17, H24, H25, H29, H31-H33, H35). The working directory is then kept.
     */
    static boolean uncomputedAsCode(String code) {
        if (!ANY_PRINTER.matcher(code).find() && !ANY_PRINTER.matcher(QUOTING.matcher(code).replaceAll("")).find()) {
            return false;
        }
        for (String inside : codeSubstitutions(code, CODE_BEFORE)) {
            // (also a name spelt in pieces, 'ec'ho, e""cho, ec\\ho: RT65, F13)
            String blanked = ShellStartupText.quotedTextBlanked(inside);
            if ((PRINTER_COMMAND.matcher(blanked).find() || PRINTER_COMMAND.matcher(QUOTING.matcher(blanked).replaceAll(""))
                    .find()) && !computed(inside)) {
                return true;
            }
        }
        return false;
    }

    /** The texts of the substitutions in {@code code} whose output is code, or the path of a file sourced, by {@code context}. */
    private static List<String> codeSubstitutions(String code, Pattern context) {
        List<String> found = new ArrayList<>();
        int[] openQuote = doubleQuoteOpen(code);
        java.util.Set<Integer> continued = continuedLines(code);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            int from;
            int to;
            if (c == '`' && (i == 0 || code.charAt(i - 1) != '\\')) {
                from = i + 1;
                to = code.indexOf('`', from);
                if (to < 0) {
                    break;
                }
            } else if ((c == '$' || (c == '<' || c == '=') && (i == 0 || " \t\n<".indexOf(code.charAt(i - 1)) >= 0))
                    && i + 1 < code.length() && code.charAt(i + 1) == '('
                    && (i + 2 >= code.length() || code.charAt(i + 2) != '(')) {
                // ('<(…)' and zsh's '=(…)' start a word: 'a=(…)' is an array)
                from = i + 2;
                to = closing(code, from);
            } else {
                continue;
            }
            // what comes before it on its line; in a double-quoted string, what comes before that string's quote
            // ('__mvncomp "a b⏎ $(f x)"' in maven's completion, '-e "s|$(echo $p)|…"' in oh-my-zsh's are words)
            // (a line continued from the one before, or an array's element, starts no command: a '\0' before it)
            int end = openQuote[i] >= 0 ? openQuote[i] + 1 : i;
            int lineStart = code.lastIndexOf('\n', end - 1) + 1;
            if (context.matcher((continued.contains(lineStart) ? "\0" : "") + code.substring(lineStart, end)).find()) {
                found.add(code.substring(from, to));
            }
            if (c == '`') {
                i = to;
            }
        }
        return found;
    }

    /**
     * Whether {@code code} sends a printer's text into a file it also sources, runs a function's output as code, or sends
     * the shell's output elsewhere with {@code exec}: then every printer's text in it may be code ({@code { echo . x; } > f; . f}, {@code done > f},
     * {@code fi > f}, {@code ( … ) > f}, a function's output: outside test RT64, H11, H12, H18-H20; {@code exec >f}: RT63, F3).
     */
    static boolean printsIntoCode(String code) {
        if (EXEC_REDIRECTION.matcher(code).find()) {
            return true;
        }
        java.util.Set<String> functions = new java.util.HashSet<>();
        for (Matcher m = FUNCTION_DEFINED.matcher(code); m.find(); ) {
            functions.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        // a function's output run as code ('f() {⏎ echo . x⏎ }; eval "$(f)"', 'source <(f)')
        for (String inside : functions.isEmpty() ? List.<String>of() : codeSubstitutions(code, SURELY_CODE_BEFORE)) {
            Matcher first = FIRST_WORD.matcher(inside);
            if (first.lookingAt() && functions.contains(first.group(1))) {
                return true;
            }
        }
        if (code.indexOf('>') < 0 && !code.contains("tee") && !code.contains("of=")) {
            return false;
        }
        java.util.Set<String> sourced = new java.util.HashSet<>();
        for (Matcher m = SOURCED_OPERAND.matcher(code); m.find(); ) {
            sourced.add(m.group(1));
        }
        if (sourced.isEmpty()) {
            return false;
        }
        // (a program's output cached and sourced, 'starship init zsh > ~/.cache/s.zsh', is what a program prints: not read)
        for (String line : code.split("\n")) {
            for (Matcher m = WRITTEN_FILE.matcher(line); m.find(); ) {
                String target = m.group(1) != null ? m.group(1) : m.group(2);
                Matcher first = FIRST_WORD.matcher(line);
                if (sourced.contains(target) && first.lookingAt()
                        && (PRINTS_OR_CLOSES.matcher(first.group(1)).matches() || functions.contains(first.group(1)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A function's definition ({@code f() {}, {@code function f}): its name, group 1 or 2. */
    private static final Pattern FUNCTION_DEFINED = Pattern.compile(
            "(?:^|[\\s;&|{])([\\w.:+-]++)[ \\t]*+\\([ \\t]*+\\)|\\bfunction[ \\t]++([\\w.:+-]++)", Pattern.MULTILINE);
    /** A line's first word, after blanks and a pipe or list before it on the line. */
    private static final Pattern FIRST_WORD = Pattern.compile("[ \\t]*+([^\\s;&|<>]++)");
    /** A printer, or the end of a compound command whose output a redirection sends on ({@code }}, {@code done}, {@code fi}). */
    private static final Pattern PRINTS_OR_CLOSES = Pattern.compile("echo|printf|print|[})]++|done|fi|esac|\\{.*");

    /** Whether {@code code}, where every printer's text may be code ({@link #printsIntoCode}), has a printer not computed. */
    static boolean uncomputedPrinted(String code) {
        for (Matcher any = ANY_PRINTER.matcher(code); any.find(); ) {
            Matcher printer = PRINTER.matcher(code);
            if (!printer.find(any.start() + (code.charAt(any.start()) == '\\' ? 1 : 0)) || printer.start() != any.start()
                    || !computed(printer.group())) {
                return true;
            }
        }
        return false;
    }

    /** The operand of a source command, as written ({@code . ~/.gen}, {@code source "$f"}): group 1. */
    private static final Pattern SOURCED_OPERAND = Pattern.compile("(?:^|[\\s;&|({])(?:\\.|source)[ \\t]++[\"']?([^\\s\"';&|)]++)",
            Pattern.MULTILINE);
    /** A file a line writes: a redirection's target (not a descriptor or /dev), tee's, dd's {@code of=}, cp's or install's last. */
    private static final Pattern WRITTEN_FILE = Pattern.compile("(?<![02-9<>])>>?\\|?(?:&(?![0-9-]))?[ \\t]*+[\"']?(?!&|/dev/)([^\\s\"';&|)]++)"
            + "|\\b(?:tee(?:[ \\t]++-\\w++)*+|of=|(?:cp|install|mv)(?:[ \\t]++-\\w++)*+[ \\t]++\\S++)[ \\t]*+[\"']?([^\\s\"';&|)]++)");

    /** The indexes where the lines start that continue a command: after a line that ends with {@code \\}, inside an array. */
    private static java.util.Set<Integer> continuedLines(String code) {
        java.util.Set<Integer> continued = new java.util.HashSet<>();
        boolean backslash = false;
        boolean array = false;
        int start = 0;
        for (String line : code.split("\n", -1)) {
            if (backslash || array) {
                continued.add(start);
            }
            int opened = line.lastIndexOf("=(");
            if (opened >= 0) {
                array = line.indexOf(')', opened) < 0;
            } else if (array && line.indexOf(')') >= 0) {
                array = false;
            }
            backslash = line.stripTrailing().endsWith("\\");
            start += line.length() + 1;
        }
        return continued;
    }

    /**
     * For each index of {@code code}, where the double-quoted string it lies in opened, or -1: single quotes and escapes
     * followed, a substitution's own quotes inside a string not (an approximation the context check is made with).
     */
    private static int[] doubleQuoteOpen(String code) {
        int[] open = new int[code.length()];
        int quote = -1;
        boolean single = false;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            open[i] = quote;
            if (single) {
                single = c != '\'';
            } else if (c == '\\' && i + 1 < code.length()) {
                open[++i] = quote;
            } else if (c == '\'' && quote < 0) {
                single = true;
            } else if (c == '"') {
                quote = quote < 0 ? i : -1;
            }
        }
        return open;
    }

    /** Where the substitution opened before {@code from} closes: its {@code )} at depth 0, quotes skipped; the end if none. */
    private static int closing(String code, int from) {
        int depth = 0;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\'') {
                int end = code.indexOf('\'', i + 1);
                i = end < 0 ? code.length() : end;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth-- == 0) {
                return i;
            }
        }
        return code.length();
    }

    /** Whether {@code inside} (a substitution's text) is one printer whose text {@link #printed} gives as the shell prints it. */
    static boolean computed(String inside) {
        if (!COMPUTED_PRINTER.matcher(inside).matches()) {
            return false;
        }
        String command = inside.strip();
        String escapesLeft = command.replace("\\n", "").replace("\\t", "");
        return escapesLeft.indexOf('\\') < 0 && (!command.startsWith("printf") || !OTHER_CONVERSION.matcher(command).find()
                && !command.matches("printf[ \\t]++-v.*")) && !OTHER_PRINT_OPTION.matcher(command).find();
    }

    /**
     * {@code line} with the words of its printers blanked where the line passes nothing on: a message to the terminal or
     * stderr names no file and runs nothing ({@code echo "bash completion not available" >&2} had been read as bash run
     * with the script {@code completion}, and every working directory was read-only: outside test RT64, M1).
     */
    static String toTerminalBlanked(String line) {
        if (line.indexOf("echo") < 0 && line.indexOf("print") < 0 || OUTPUT_PASSED_ON.matcher(line).find()) {
            return line;
        }
        return PRINTER.matcher(line).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " ".repeat(m.group(2).length())));
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
