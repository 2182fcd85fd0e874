package dev.awssandbox.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the one piece of shell syntax aws-sandbox supports, {@code |}, with POSIX-shell word
 * rules: whitespace separates words; single quotes keep everything literal; double quotes keep
 * everything literal except {@code \"}, {@code \\}, {@code \$} and {@code \`}; a backslash
 * outside quotes makes the next character literal. No shell is ever run, so anything a shell
 * would interpret and we would not ({@code ; && || & > >> < ( )}, {@code $VAR}, {@code $(…)},
 * {@code ${…}}, backticks, a leading {@code ~}, a leading {@code #}, newlines) is rejected with
 * an error that names it, instead of being passed on literally. Glob characters
 * ({@code * ? [}) are passed literally, as a shell does when nothing matches.
 */
final class PipelineParser {
    private PipelineParser() {}

    /** The stages of {@code a b | c 'd e' | f}. */
    static List<List<String>> parse(String input) {
        return new Parser(input).parse();
    }

    /** A word quoted so that {@link #parse} reads it back unchanged. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@%+".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static final class Parser {
        private static final String NO_SHELL = "aws-sandbox runs pipelines without a shell";

        private final String in;
        private int pos;
        private final List<List<String>> stages = new ArrayList<>();
        private List<String> stage = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private boolean inWord;

        Parser(String input) {
            this.in = input;
        }

        List<List<String>> parse() {
            if (in.isBlank()) {
                throw new Command.SyntaxException("the command is empty", 0);
            }
            while (pos < in.length()) {
                char c = in.charAt(pos);
                switch (c) {
                    case ' ', '\t' -> {
                        endWord();
                        pos++;
                    }
                    case '\n', '\r' -> throw error("a line break at position " + pos
                            + " would separate commands in a shell; " + NO_SHELL + ": write one pipeline on one line", pos);
                    case '\'' -> singleQuoted();
                    case '"' -> doubleQuoted();
                    case '\\' -> escaped();
                    case '|' -> pipe();
                    case ';' -> throw operator(";", "command lists are not supported");
                    case '&' -> throw operator(next('&') ? "&&" : "&",
                            next('&') ? "command lists are not supported" : "background jobs are not supported");
                    case '>' -> throw operator(next('>') ? ">>" : ">", "redirections are not supported");
                    case '<' -> throw operator(next('<') ? "<<" : "<", "redirections are not supported");
                    case '(', ')' -> throw operator(String.valueOf(c), "subshells are not supported");
                    case '`' -> throw operator("`", "command substitution is not supported");
                    case '$' -> dollar();
                    case '~', '#' -> { // special to a shell at the start of a word only
                        if (!inWord) {
                            throw error("'" + c + "' at position " + pos + (c == '~'
                                    ? ": tilde expansion is not supported (" + NO_SHELL + "); write the full path, or"
                                    : " starts a comment in a shell; " + NO_SHELL + ":")
                                    + " quote it ('" + c + "') to pass it literally", pos);
                        }
                        word.append(c);
                        pos++;
                    }
                    case '{' -> {
                        braceExpansion();
                        inWord = true;
                        word.append(c);
                        pos++;
                    }
                    default -> {
                        inWord = true;
                        word.append(c);
                        pos++;
                    }
                }
            }
            endWord();
            if (stage.isEmpty()) {
                throw error(stages.isEmpty() ? "the command is empty"
                        : "the pipeline ends with '|' at position " + lastPipe() + ": a command must follow it", lastPipe());
            }
            stages.add(stage);
            return stages;
        }

        private int lastPipe() {
            return Math.max(0, in.lastIndexOf('|'));
        }

        private boolean next(char c) {
            return pos + 1 < in.length() && in.charAt(pos + 1) == c;
        }

        private void endWord() {
            if (inWord) {
                if (stage.isEmpty() && word.isEmpty()) {
                    int at = Math.min(pos, in.length());
                    throw error("the command before position " + at + " has an empty name ('' or \"\"): name a program", at);
                }
                stage.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
        }

        private void pipe() {
            if (next('|')) {
                throw operator("||", "command lists are not supported");
            }
            if (next('&')) {
                throw operator("|&", "redirections are not supported");
            }
            endWord();
            if (stage.isEmpty()) {
                throw error("empty pipeline stage before '|' at position " + pos + ": a command must come before each '|'", pos);
            }
            stages.add(stage);
            stage = new ArrayList<>();
            pos++;
        }

        /** An unquoted {a,b} or {1..3} would be expanded by a shell into several words: refuse it. */
        private void braceExpansion() {
            int end = pos + 1;
            boolean list = false;
            while (end < in.length()) {
                char c = in.charAt(end);
                if (c == '}') {
                    if (list) {
                        throw error("'{' at position " + pos + " starts a brace expansion, which a shell would turn"
                                + " into several words; " + NO_SHELL + ": quote it to pass it literally", pos);
                    }
                    return;
                }
                if (" \t|'\"\\".indexOf(c) >= 0) {
                    return;
                }
                if (c == ',' || (c == '.' && end + 1 < in.length() && in.charAt(end + 1) == '.')) {
                    list = true;
                }
                end++;
            }
        }

        private void singleQuoted() {
            int start = pos;
            int end = in.indexOf('\'', pos + 1);
            if (end < 0) {
                throw error("unterminated single quote starting at position " + start, start);
            }
            inWord = true;
            word.append(in, pos + 1, end);
            pos = end + 1;
        }

        private void doubleQuoted() {
            int start = pos;
            inWord = true;
            pos++;
            while (pos < in.length()) {
                char c = in.charAt(pos);
                if (c == '"') {
                    pos++;
                    return;
                }
                if (c == '\\' && pos + 1 < in.length() && "\"\\$`".indexOf(in.charAt(pos + 1)) >= 0) {
                    word.append(in.charAt(pos + 1));
                    pos += 2;
                } else if (c == '\\' && pos + 1 < in.length() && in.charAt(pos + 1) == '\n') {
                    pos += 2; // line continuation
                } else if (c == '`') {
                    throw operator("`", "command substitution is not supported, even in double quotes");
                } else if (c == '$' && expands(pos) && in.charAt(pos + 1) != '"' && in.charAt(pos + 1) != '\'') {
                    // inside double quotes "$" is a '$' and the quote closes the word, and $'…' is no quoting: a shell
                    // prints both as written (outside test WF29, F30: "$" was refused as $"…" quoting)
                    throw dollarError();
                } else {
                    word.append(c);
                    pos++;
                }
            }
            throw error("unterminated double quote starting at position " + start, start);
        }

        private void escaped() {
            if (pos + 1 >= in.length()) {
                throw error("a backslash at the end of the command (position " + pos + ") escapes nothing", pos);
            }
            char c = in.charAt(pos + 1);
            if (c != '\n') { // backslash-newline is a line continuation
                inWord = true;
                word.append(c);
            }
            pos += 2;
        }

        private void dollar() {
            if (expands(pos)) {
                throw dollarError();
            }
            inWord = true;
            word.append('$');
            pos++;
        }

        /** Whether a shell would expand the {@code $} at {@code at}. */
        private boolean expands(int at) {
            if (at + 1 >= in.length()) {
                return false;
            }
            char c = in.charAt(at + 1);
            // $'…' and $"…" (ANSI-C and locale quoting) and $[…] (old arithmetic) too (found in review)
            return c == '(' || c == '{' || c == '[' || c == '\'' || c == '"' || c == '_' || Character.isLetterOrDigit(c)
                    || "@*#?$!-".indexOf(c) >= 0;
        }

        private Command.SyntaxException dollarError() {
            char c = in.charAt(pos + 1);
            String what = c == '(' ? "'$(' (command substitution)" : c == '{' ? "'${' (parameter expansion)"
                    : c == '\'' || c == '"' ? "'$" + c + "' (shell quoting)" : c == '[' ? "'$[' (arithmetic)"
                    : "'" + variableAt(pos) + "' (variable expansion)";
            return error(what + " at position " + pos + " is not supported: " + NO_SHELL
                    + "; put it in single quotes to pass it literally", pos);
        }

        /** The variable named at {@code at} (its {@code $}): the whole name, {@code $HOME}, not {@code $H} (outside test WF30, F12). */
        private String variableAt(int at) {
            int end = at + 2;
            if (Character.isLetter(in.charAt(at + 1)) || in.charAt(at + 1) == '_') {
                while (end < in.length() && (Character.isLetterOrDigit(in.charAt(end)) || in.charAt(end) == '_')) {
                    end++;
                }
            }
            return in.substring(at, end);
        }

        private Command.SyntaxException operator(String op, String why) {
            return error("unsupported shell operator '" + op + "' at position " + pos + ": " + why + "; " + NO_SHELL
                    + " and supports only '|' between commands (quote the character to pass it literally)", pos);
        }

        private Command.SyntaxException error(String message, int at) {
            return new Command.SyntaxException(message, at);
        }
    }
}
