package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words a command string names, read as the POSIX shell reads it (red team, round 24): one
 * reader for every command string the host runs later — {@code credential_process}, the AWS CLI's
 * {@code !} aliases and {@code cli_pager}, ssh's {@code ProxyCommand} and the other ssh commands,
 * git's command keys and their environment twins.
 *
 * <ul>
 *   <li><b>F14</b>: single quotes, double quotes and backslashes are taken off as {@code sh} takes
 *   them, so {@code '/h/My Proj/tool.sh'} is one word (the over-inclusive split at blanks and
 *   quotes, {@link GitConfig#words}, is kept as well: the union names more). A word that is itself
 *   a script ({@code sh -c '…'}) is read again, {@value #MAX_DEPTH} levels deep.</li>
 *   <li><b>F1</b>: {@code ~}, {@code $NAME} and {@code ${NAME}} are expanded from the environment
 *   aws-sandbox runs in (the later host program most likely has the same; {@code $PWD} is the
 *   working directory, as a relative word is). A variable the command assigns itself
 *   ({@code x=…}, {@code for x in}, {@code local x}) takes its value from words read here too,
 *   and positional parameters ({@code $1}, {@code $@}) are the command's own words. What cannot be
 *   known — a variable neither the environment nor the command sets, a command substitution
 *   ({@code $(…)}, backticks), {@code $'…'} — is {@link Reading#unknown()} when it stands where a
 *   path is decided: before a {@code /} in its word, or as a word in command position. The caller
 *   fails closed on it.</li>
 *   <li><b>F2</b>: an absolute (or {@code ~/}) tail glued to an option or after {@code =},
 *   {@code :} or {@code ,} ({@code -I/dir}, {@code -S/path}, {@code --x=/y}, {@code a:/b}) is a
 *   word of its own.</li>
 * </ul>
 */
final class CommandWords {
    /** How deep a word that is itself a script ({@code sh -c '…'}) is read again. */
    static final int MAX_DEPTH = 4;

    /**
     * What a command names.
     *
     * @param words   its words (quotes taken off, variables expanded) and their glued tails, in order,
     *                the first word of the command first; {@code ~} is left for the caller to expand
     * @param unknown why what it runs cannot be known (empty when it can)
     */
    record Reading(List<String> words, List<String> unknown) {}

    private final Map<String, String> variables;
    private final Path home;
    private final Path workingDirectory;
    private final Set<String> words = new LinkedHashSet<>();
    private final List<String> unknown = new ArrayList<>();
    private String assigned = ""; // the whole command: where it sets its own variables

    private CommandWords(Map<String, String> variables, Path home, Path workingDirectory) {
        this.variables = variables;
        this.home = home;
        this.workingDirectory = workingDirectory;
    }

    /** {@code command} read with {@code variables} (the environment; {@code HOME} defaults to {@code home}). */
    static Reading of(String command, Map<String, String> variables, Path home, Path workingDirectory) {
        CommandWords reader = new CommandWords(variables, home, workingDirectory);
        reader.assigned = command;
        reader.read(command, 0);
        for (String word : GitConfig.words(command)) { // over-inclusive: every piece between blanks, quotes, operators
            reader.add(reader.expand(word, false, 0));
        }
        return new Reading(List.copyOf(reader.words), List.copyOf(reader.unknown));
    }

    /** A word as given (no shell in between: botocore's shlex words) and its glued tails, unexpanded. */
    static List<String> withTails(String word) {
        List<String> out = new ArrayList<>();
        out.add(word);
        out.addAll(tails(word));
        return out;
    }

    private void read(String command, int depth) {
        List<Word> split = split(command);
        for (Word word : split) {
            add(expand(word.text(), word.commandPosition(), depth));
            boolean script = word.text().chars().anyMatch(c -> " \t\n'\";|&()<>`".indexOf(c) >= 0);
            if (script && depth + 1 < MAX_DEPTH) {
                read(word.text(), depth + 1);
            }
        }
    }

    private void add(String word) {
        if (word.isEmpty()) {
            return;
        }
        words.add(word);
        words.addAll(tails(word));
    }

    /**
     * The tails of {@code word} that start with {@code /} or {@code ~/} right after an option's
     * letters ({@code -I/dir}, {@code -S/path}), {@code =}, {@code :} or {@code ,}; each also cut at
     * its first {@code :} or {@code ,} (a list: {@code -I/a:/b}).
     */
    static List<String> tails(String word) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < word.length(); i++) {
            if (word.charAt(i) != '/' && !word.startsWith("~/", i)) {
                continue;
            }
            char before = word.charAt(i - 1);
            boolean glued = before == '=' || before == ':' || before == ',' || OPTION.matcher(word.substring(0, i)).matches();
            if (!glued) {
                continue;
            }
            String tail = word.substring(i);
            out.add(tail);
            int cut = indexOfAny(tail, ":,");
            if (cut > 0) {
                out.add(tail.substring(0, cut));
            }
        }
        return out;
    }

    private static final Pattern OPTION = Pattern.compile("-{1,2}[A-Za-z0-9_]+");

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** One word of a command, quotes taken off; whether it stands where a command's name does. */
    private record Word(String text, boolean commandPosition) {}

    /**
     * {@code command} split as {@code sh} splits it: blanks and the operators {@code ; | & ( ) < >}
     * end a word outside quotes; {@code '…'} is literal; in {@code "…"} a backslash quotes only
     * {@code $ ` " \} and a newline; outside quotes it quotes the next character. {@code $(…)} and
     * backticks stay in their word as written (expanded, or found unknown, later). An unclosed quote
     * ends at the end of the string (the shell would refuse it; reading on names more).
     */
    private static List<Word> split(String command) {
        List<Word> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean any = false;
        boolean commandPosition = true;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                end = end < 0 ? n : end;
                word.append(command, i + 1, end);
                any = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (i < n && command.charAt(i) != '"') {
                    char d = command.charAt(i);
                    if (d == '\\' && i + 1 < n && "$`\"\\\n".indexOf(command.charAt(i + 1)) >= 0) {
                        if (command.charAt(i + 1) != '\n') {
                            word.append(command.charAt(i + 1));
                        }
                        i += 2;
                    } else if (d == '$' && i + 1 < n && command.charAt(i + 1) == '(' || d == '`') {
                        int end = substitutionEnd(command, i);
                        word.append(command, i, end);
                        i = end;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                any = true;
                i++;
            } else if (c == '\\') {
                if (i + 1 < n && command.charAt(i + 1) != '\n') {
                    word.append(command.charAt(i + 1));
                    any = true;
                }
                i += 2;
            } else if (c == '$' && i + 1 < n && command.charAt(i + 1) == '(' || c == '`') {
                int end = substitutionEnd(command, i);
                word.append(command, i, end);
                any = true;
                i = end;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || ";|&()<>".indexOf(c) >= 0) {
                if (any) {
                    out.add(new Word(word.toString(), commandPosition));
                    // after a reserved word or a prefix command, the next word is a command's name again
                    commandPosition = commandPosition && PREFIXES.contains(word.toString());
                    word.setLength(0);
                    any = false;
                }
                if (c != ' ' && c != '\t' && c != '\r' && !(c == '<' || c == '>')) {
                    commandPosition = true; // after ; | & ( ) and a new line: a command's name
                }
                i++;
            } else {
                word.append(c);
                any = true;
                i++;
            }
        }
        if (any) {
            out.add(new Word(word.toString(), commandPosition));
        }
        return out;
    }

    private static final Set<String> PREFIXES = Set.of("{", "}", "!", "if", "then", "else", "elif", "do", "while",
            "until", "exec", "command", "env", "nohup", "sudo", "time", "nice", "eval", ".", "source");

    /** The index after a {@code $(…)} (parentheses balanced) or a {@code `…`} starting at {@code i}. */
    private static int substitutionEnd(String s, int i) {
        if (s.charAt(i) == '`') {
            int end = s.indexOf('`', i + 1);
            return end < 0 ? s.length() : end + 1;
        }
        int depth = 0;
        for (int j = i + 1; j < s.length(); j++) {
            if (s.charAt(j) == '(') {
                depth++;
            } else if (s.charAt(j) == ')' && --depth == 0) {
                return j + 1;
            }
        }
        return s.length();
    }

    /**
     * {@code word} with {@code $NAME}, {@code ${NAME}} and {@code $PWD} expanded; a command
     * substitution's own command read as a command. Where something cannot be known and a {@code /}
     * follows it in the word, or the word is in command position, it is {@link #unknown}.
     */
    private String expand(String word, boolean commandPosition, int depth) {
        if (word.indexOf('$') < 0 && word.indexOf('`') < 0) {
            return word;
        }
        StringBuilder out = new StringBuilder();
        int unknownAt = -1;
        String what = null;
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '`' || c == '$' && i + 1 < word.length() && word.charAt(i + 1) == '(') {
                int end = substitutionEnd(word, i);
                String inner = word.substring(i + (c == '`' ? 1 : 2), Math.max(i + (c == '`' ? 1 : 2), end - 1));
                if (depth + 1 < MAX_DEPTH) {
                    read(inner, depth + 1); // what the substitution runs is a command too
                }
                if (unknownAt < 0) {
                    unknownAt = out.length();
                    what = "the command substitution " + word.substring(i, end);
                }
                i = end;
                continue;
            }
            if (c != '$' || i + 1 >= word.length()) {
                out.append(c);
                i++;
                continue;
            }
            char d = word.charAt(i + 1);
            String name;
            int end;
            if (d == '{') {
                int close = word.indexOf('}', i + 2);
                close = close < 0 ? word.length() : close;
                name = word.substring(i + 2, close);
                end = Math.min(word.length(), close + 1);
            } else if (Character.isLetter(d) || d == '_') {
                int j = i + 1;
                while (j < word.length() && (Character.isLetterOrDigit(word.charAt(j)) || word.charAt(j) == '_')) {
                    j++;
                }
                name = word.substring(i + 1, j);
                end = j;
            } else if (Character.isDigit(d) || "@*#?$!-".indexOf(d) >= 0) {
                i += 2; // a positional or special parameter: the command's own words, or no path
                continue;
            } else if (d == '\'' || d == '"') {
                if (unknownAt < 0) {
                    unknownAt = out.length();
                    what = "the quoting $" + d + "…";
                }
                i += 2;
                continue;
            } else {
                out.append(c);
                i++;
                continue;
            }
            String value = value(name);
            if (value == null) {
                if (unknownAt < 0) {
                    unknownAt = out.length();
                    what = "the variable $" + (d == '{' ? "{" + name + "}" : name)
                            + ", which the environment aws-sandbox runs in does not set";
                }
            } else {
                out.append(value);
            }
            i = end;
        }
        String expanded = out.toString();
        if (unknownAt >= 0 && (expanded.indexOf('/', unknownAt) >= 0 || commandPosition)) {
            unknown.add(what + " in the word " + word);
        }
        return expanded;
    }

    /** A variable's value: the environment's, {@code $PWD} the working directory; "" when the command sets it; null: unknown. */
    private String value(String name) {
        if (name.equals("PWD")) {
            return workingDirectory.toString(); // where the later program runs: as a relative word, taken here
        }
        if (name.equals("HOME")) {
            return variables.getOrDefault("HOME", home.toString());
        }
        if (name.matches("[0-9]+|[@*#?$!-]")) {
            return ""; // ${1}: a positional or special parameter
        }
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // ${X:-…}, ${#X}, ${X%…}: the plain variable's value when set, else unknown
            String plain = name.replaceFirst("^#", "").split("[^A-Za-z0-9_]", 2)[0];
            return plain.isEmpty() ? null : variables.containsKey(plain) ? variables.get(plain)
                    : setByTheCommand(plain) ? "" : null;
        }
        String value = variables.get(name);
        if (value != null) {
            return value;
        }
        return setByTheCommand(name) ? "" : null;
    }

    /** Whether the command itself sets {@code name} ({@code name=…}, {@code for name in}, {@code read name}, {@code local name}). */
    private boolean setByTheCommand(String name) {
        return Pattern.compile("(?<![A-Za-z0-9_${])" + Pattern.quote(name) + "(?![A-Za-z0-9_}])").matcher(assigned).find();
    }
}
