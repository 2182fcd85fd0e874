package dev.awssandbox.core.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which program GNU {@code env} runs for a {@code #!/usr/bin/env ...} line, computed the way
 * coreutils' {@code env} parses its arguments: {@code getopt_long} with option processing stopped
 * at the first operand ({@code +C:iS:u:v0}), unambiguous long-option prefixes,
 * {@code -S}/{@code --split-string} split with env's own quoting and escapes and then parsed
 * again from the start, {@code -}, {@code NAME=VALUE} operands, and {@code execvp}'s search of
 * the {@code PATH} that results from {@code -i}, {@code -u} and assignments.
 *
 * <p>Anything this class does not model exactly yields {@link NotUnderstood}, and the caller
 * then derives no grants: {@code ${VAR}} expansion in {@code -S}, the signal options,
 * {@code --help}/{@code --version}, every error env itself would report, a program or search
 * directory that is relative (it would resolve against a directory the command chooses), and a
 * program that is not on the {@code #!} line at all (env would take the script's path or the
 * command's own arguments as the program — words the command controls). Before this parser, a
 * line {@code #!/usr/bin/env -S -u /etc/hosts sh} was read as running {@code /etc/hosts} and
 * opened all of {@code /etc} (found in review); env merely unsets a variable of that name.
 */
public final class GnuEnv {
    /** glibc's {@code execvp} searches this when {@code PATH} is unset ({@code confstr(_CS_PATH)}). */
    public static final String EXECVP_DEFAULT_PATH = "/bin:/usr/bin";

    private static final String WHITESPACE = " \t\n\u000b\f\r";
    private static final List<String> LONG_OPTIONS = List.of("ignore-environment", "null", "unset", "chdir",
            "default-signal", "ignore-signal", "block-signal", "list-signal-handling", "debug", "split-string",
            "help", "version");
    /**
     * The long options env's {@code getopt_long} table maps to a short one, which env's code then
     * handles alike; the others (the signal options, help, version) are not modelled.
     */
    private static final Map<String, Character> SHORT_FORMS = Map.of("ignore-environment", 'i', "null", '0',
            "debug", 'v', "unset", 'u', "chdir", 'C', "split-string", 'S');
    /** The short options without a value ({@code -v} is {@code --debug}: it only prints). */
    private static final String FLAGS = "iv0";
    /** The short options with a value: {@code -u NAME}, {@code -C DIR}, {@code -S STRING}. */
    private static final String WITH_VALUE = "uCS";

    private GnuEnv() {}

    /** What env would do. */
    public sealed interface Outcome permits Runs, NotUnderstood {}

    /**
     * env runs {@code program}: a name with a slash (always absolute here) as it is, a bare name
     * searched by {@code execvp} on {@link #searchPath()}.
     *
     * @param environmentPath the {@code PATH} env leaves in the environment after {@code -i},
     *                        {@code -u} and assignments (empty when unset); the program inherits it
     */
    public record Runs(String program, Optional<String> environmentPath) implements Outcome {
        /** What execvp searches: {@code PATH}, or glibc's default when it is unset. */
        public String searchPath() {
            return environmentPath.orElse(EXECVP_DEFAULT_PATH);
        }
    }

    /** The line is outside what this parser models; derive nothing from it. */
    public record NotUnderstood(String reason) implements Outcome {}

    /** Marks where the {@code #!} argument ends and the script's path (then the command's arguments) begin. */
    private static final String BEYOND_LINE = new String("<script path and the command's arguments>");

    /**
     * @param shebangArgument the optional argument of the {@code #!} line as the kernel passes it
     *                        (one string, spaces and all), empty when the line has none
     * @param inheritedPath   the {@code PATH} env starts with, empty when unset
     */
    public static Outcome parseShebang(Optional<String> shebangArgument, Optional<String> inheritedPath) {
        List<String> args = new ArrayList<>();
        shebangArgument.ifPresent(args::add);
        args.add(BEYOND_LINE);
        return parse(args, inheritedPath);
    }

    /** env's argv after argv[0]; {@link #BEYOND_LINE} stands for words outside the {@code #!} line. */
    private static Outcome parse(List<String> initial, Optional<String> inheritedPath) {
        List<String> args = new ArrayList<>(initial);
        boolean ignoreEnvironment = false;
        boolean unsetPath = false;
        boolean nul = false;
        int index = 0;
        while (index < args.size()) {
            String arg = args.get(index);
            if (arg == BEYOND_LINE) {
                break; // the next operand comes from outside the line
            }
            if (arg.equals("--")) {
                index++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break; // '+' in the option string: the first operand ends option processing
            }
            index++;
            char option; // as its short letter: a long option is handled as env handles it, as its short one
            String spelled; // as the line spells it
            Optional<String> attached; // the value written in the same argument
            if (arg.startsWith("--")) {
                String body = arg.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                attached = eq < 0 ? Optional.empty() : Optional.of(body.substring(eq + 1));
                String longName = longOption(name);
                if (longName == null) {
                    return new NotUnderstood("env option --" + name + " is unknown or ambiguous (env would fail)");
                }
                Character letter = SHORT_FORMS.get(longName);
                if (letter == null) {
                    return new NotUnderstood("env option --" + longName + " is not modelled");
                }
                option = letter;
                spelled = "--" + longName;
                if (FLAGS.indexOf(option) >= 0) {
                    if (attached.isPresent()) {
                        return new NotUnderstood(spelled + " takes no value (env would fail)");
                    }
                    ignoreEnvironment |= option == 'i';
                    nul |= option == '0';
                    continue;
                }
            } else {
                // a cluster of short options: -iv, -uNAME, -u NAME, -S'...', -vS'...'
                int i = 1;
                while (i < arg.length() && FLAGS.indexOf(arg.charAt(i)) >= 0) {
                    ignoreEnvironment |= arg.charAt(i) == 'i';
                    nul |= arg.charAt(i) == '0';
                    i++;
                }
                if (i == arg.length()) {
                    continue;
                }
                option = arg.charAt(i);
                spelled = "-" + option;
                if (WITH_VALUE.indexOf(option) < 0) {
                    // includes the whitespace "options" env uses to catch "#!/usr/bin/env -i prog"
                    return new NotUnderstood("env option " + spelled + " is unknown (env would fail)");
                }
                // the rest of the cluster is the value
                attached = i + 1 < arg.length() ? Optional.of(arg.substring(i + 1)) : Optional.empty();
            }
            // -u NAME, -C DIR or -S STRING
            String value;
            if (attached.isPresent()) {
                value = attached.get();
            } else if (index < args.size() && args.get(index) != BEYOND_LINE) {
                value = args.get(index++);
            } else {
                return new NotUnderstood(spelled + " would take its value from beyond the #! line");
            }
            switch (option) {
                case 'u' -> {
                    if (!validUnsetName(value)) {
                        return new NotUnderstood("env cannot unset '" + value + "' (env would fail)");
                    }
                    unsetPath |= value.equals("PATH");
                }
                case 'C' -> { } // a relative program or PATH entry is refused below anyway
                case 'S' -> {
                    Optional<List<String>> split = split(value);
                    if (split.isEmpty()) {
                        return new NotUnderstood("the -S string uses ${VAR} expansion or is invalid");
                    }
                    args = restart(split.get(), args, index);
                    index = 0;
                }
                default -> throw new IllegalStateException("not an option with a value: " + option);
            }
        }
        if (index < args.size() && "-".equals(args.get(index))) {
            ignoreEnvironment = true;
            index++;
        }
        Optional<String> path = ignoreEnvironment || unsetPath ? Optional.empty() : inheritedPath;
        while (index < args.size() && args.get(index) != BEYOND_LINE && args.get(index).indexOf('=') >= 0) {
            String assignment = args.get(index++);
            if (assignment.startsWith("=")) {
                return new NotUnderstood("an assignment without a name (" + assignment + ")");
            }
            if (assignment.startsWith("PATH=")) {
                path = Optional.of(assignment.substring("PATH=".length()));
            }
        }
        if (index >= args.size() || args.get(index) == BEYOND_LINE) {
            return new NotUnderstood("the program env runs is not on the #! line: it would be the script's path"
                    + " or one of the command's arguments");
        }
        if (nul) {
            return new NotUnderstood("-0 with a program (env would fail)");
        }
        String program = args.get(index);
        if (program.isEmpty()) {
            return new NotUnderstood("an empty program name (env would fail)");
        }
        if (program.contains("/") && !program.startsWith("/")) {
            return new NotUnderstood("the program " + program + " is relative to a directory the command chooses");
        }
        return new Runs(program, path);
    }

    /** After -S: the split words, then every argument after the one that held the string; parsing starts over. */
    private static List<String> restart(List<String> split, List<String> args, int from) {
        List<String> next = new ArrayList<>(split);
        next.addAll(args.subList(from, args.size()));
        return next;
    }

    /** unsetenv(3) refuses an empty name and one containing '='; env then fails. */
    private static boolean validUnsetName(String name) {
        return !name.isEmpty() && name.indexOf('=') < 0;
    }

    /** getopt_long's matching: an exact name, else a prefix of exactly one option. */
    private static String longOption(String name) {
        if (name.isEmpty()) {
            return null;
        }
        String found = null;
        for (String option : LONG_OPTIONS) {
            if (option.equals(name)) {
                return option;
            }
            if (option.startsWith(name)) {
                if (found != null) {
                    return null; // ambiguous
                }
                found = option;
            }
        }
        return found;
    }

    /**
     * Splits a {@code -S} string as env's {@code build_argv} does: whitespace separates outside
     * quotes; {@code '...'} is literal except {@code \\} and {@code \'}; {@code "..."} honours
     * escapes; {@code \_} separates (a space inside double quotes); {@code \c} and a {@code #}
     * starting a word end the string; {@code \f \n \r \t \v} are control characters. Empty when
     * env would fail, or when the string expands a variable ({@code ${NAME}}), which is not
     * modelled.
     */
    static Optional<List<String>> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean sq = false;
        boolean dq = false;
        boolean sep = true;
        int i = 0;
        int end = s.indexOf('\0') >= 0 ? s.indexOf('\0') : s.length();
        scan:
        while (i < end) {
            char c = s.charAt(i);
            char add = c;
            switch (c) {
                case '\'', '"' -> {
                    // a quote inside the other kind of quotes is an ordinary character
                    if (c == '\'' ? !dq : !sq) {
                        if (c == '\'') {
                            sq = !sq;
                        } else {
                            dq = !dq;
                        }
                        if (sep) {
                            word = startWord(words, word); // even '' is a word
                            sep = false;
                        }
                        i++;
                        continue;
                    }
                }
                case ' ', '\t', '\n', '\u000b', '\f', '\r' -> {
                    if (!sq && !dq) {
                        sep = true;
                        while (i < end && WHITESPACE.indexOf(s.charAt(i)) >= 0) {
                            i++;
                        }
                        continue;
                    }
                }
                case '#' -> {
                    if (sep) {
                        break scan; // a word starting with '#' ends the string (a comment)
                    }
                }
                case '\\' -> {
                    char following = i + 1 < end ? s.charAt(i + 1) : '\0';
                    // inside single quotes only \\ and \' are escapes; any other backslash is literal
                    if (!sq || following == '\\' || following == '\'') {
                        i++;
                        switch (following) {
                            case '"', '#', '$', '\'', '\\' -> add = following;
                            case '_' -> {
                                if (!dq) {
                                    i++;
                                    sep = true;
                                    continue;
                                }
                                add = ' ';
                            }
                            case 'c' -> {
                                if (dq) {
                                    return Optional.empty(); // "'\c' must not appear in double-quoted -S string"
                                }
                                break scan;
                            }
                            case 'f' -> add = '\f';
                            case 'n' -> add = '\n';
                            case 'r' -> add = '\r';
                            case 't' -> add = '\t';
                            case 'v' -> add = '\u000b';
                            default -> {
                                return Optional.empty(); // "invalid sequence", or a backslash at the end
                            }
                        }
                    }
                }
                case '$' -> {
                    if (!sq) {
                        return Optional.empty(); // ${VARNAME} expansion, or env's error at a bare '$'
                    }
                }
                default -> { }
            }
            if (sep) {
                word = startWord(words, word);
                sep = false;
            }
            word.append(add);
            i++;
        }
        if (i >= end && (sq || dq)) {
            return Optional.empty(); // "no terminating quote in -S string"
        }
        if (word != null) {
            words.add(word.toString());
        }
        return Optional.of(words);
    }

    private static StringBuilder startWord(List<String> words, StringBuilder current) {
        if (current != null) {
            words.add(current.toString());
        }
        return new StringBuilder();
    }
}
