package dev.awssandbox.mcp.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code argparse.ArgumentParser.parse_known_args} as the AWS CLI v1 uses it (Python
 * 3.11: {@code allow_abbrev=True}, prefix characters {@code -}, no single-dash options), so that an
 * argv is read here exactly as the AWS CLI will read it: a unique prefix of a long option is that
 * option ({@code --endpoint} is {@code --endpoint-url}), {@code --opt=value} splits at the first
 * {@code =}, an ambiguous prefix is an error, a word with a space or a negative number is never an
 * option, unknown options and surplus words are returned as extras for the next parser.
 *
 * <p>The algorithm follows CPython's {@code _parse_known_args} step by step (the pattern of
 * {@code O}/{@code A} letters and the nargs regular expressions are CPython's own); the AWS CLI
 * itself is the oracle in the tests.
 */
final class ArgParse {
    /** How many words an action takes. */
    enum Nargs {
        /** exactly one (argparse's default) */
        ONE("(A)", "(-*A-*)"),
        /** {@code '?'} */
        OPTIONAL("(A?)", "(-*A?-*)"),
        /** {@code '*'} */
        ZERO_OR_MORE("(A*)", "(-*[A-]*)"),
        /** {@code '+'} */
        ONE_OR_MORE("(AA*)", "(-*A[A-]*)"),
        /** flags: store_true, store_false, store_const, version */
        ZERO("()", "(-*-*)"),
        /** exactly two */
        TWO("(AA)", "(-*A-*A-*)");

        private final String optionPattern;
        private final String positionalPattern;

        Nargs(String optionPattern, String positionalPattern) {
            this.optionPattern = optionPattern;
            this.positionalPattern = positionalPattern;
        }
    }

    /**
     * An option or a positional.
     *
     * @param names   option strings ({@code --region}); empty for a positional
     * @param dest    where its value goes; options sharing a dest (a flag and its {@code --no-}) overwrite each other
     * @param nargs   how many words it takes
     * @param choices allowed values, or empty for any
     * @param append  every occurrence counts (argparse's {@code append}); otherwise the last one wins
     */
    record Action(List<String> names, String dest, Nargs nargs, Set<String> choices, boolean append) {
        Action {
            names = List.copyOf(names);
            choices = Set.copyOf(choices);
            Objects.requireNonNull(dest, "dest");
            Objects.requireNonNull(nargs, "nargs");
        }

        boolean positional() {
            return names.isEmpty();
        }

        /** The first option string, or the dest of a positional: for messages. */
        String label() {
            return positional() ? dest : names.getFirst();
        }
    }

    /** One action taken: which option string matched (empty for a positional) and the words it took. */
    record Taken(Action action, String optionString, List<String> values) {
        Taken {
            values = List.copyOf(values);
        }
    }

    /**
     * What {@code parse_known_args} returned: the actions taken in order, and the words left over;
     * {@code exited} when an action that ends the program ({@code --version}) was taken, which stops
     * parsing there.
     */
    record Result(List<Taken> taken, List<String> extras, boolean exited) {
        Result {
            taken = List.copyOf(taken);
            extras = List.copyOf(extras);
        }

        /** The last action taken for {@code dest} (argparse keeps the last). */
        java.util.Optional<Taken> last(String dest) {
            for (int i = taken.size() - 1; i >= 0; i--) {
                if (taken.get(i).action().dest().equals(dest)) {
                    return java.util.Optional.of(taken.get(i));
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** An error argparse would report (the AWS CLI then exits with status 2 or 255). */
    static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message);
        }
    }

    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("^-\\d+$|^-\\d*\\.\\d+$");

    private final Map<String, Action> byOptionString = new LinkedHashMap<>();
    private final List<Action> positionals = new ArrayList<>();
    private final java.util.Set<String> exiting = new java.util.HashSet<>();

    /** Taking an action of this dest ends the program, as argparse's {@code version} action does. */
    ArgParse exitOn(String dest) {
        exiting.add(dest);
        return this;
    }

    private static final class Exit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exit() {
            super(null, null, false, false);
        }
    }

    /** Adds an action; like argparse's {@code conflict_handler='resolve'}, a later option string replaces an earlier one. */
    ArgParse add(Action action) {
        if (action.positional()) {
            positionals.add(action);
        } else {
            for (String name : action.names()) {
                if (!name.startsWith("--")) {
                    throw new IllegalArgumentException("only long options are modelled: " + name);
                }
                byOptionString.remove(name);
                byOptionString.put(name, action);
            }
        }
        return this;
    }

    Map<String, Action> options() {
        return java.util.Collections.unmodifiableMap(byOptionString);
    }

    List<Action> positionals() {
        return List.copyOf(positionals);
    }

    /** An option occurrence: the action (absent for an unknown option), the option string, an explicit {@code =} value. */
    private record OptionTuple(Action action, String optionString, String explicit) {}

    Result parseKnownArgs(List<String> args) throws ParseError {
        List<Taken> taken = new ArrayList<>();
        List<String> extras = new ArrayList<>();
        try {
            parse(args, taken, extras);
            return new Result(taken, extras, false);
        } catch (Exit e) {
            return new Result(taken, extras, true);
        }
    }

    private void parse(List<String> args, List<Taken> taken, List<String> extras) throws ParseError {
        Map<Integer, OptionTuple> optionIndices = new TreeMap<>();
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                pattern.append('-');
                for (int j = i + 1; j < args.size(); j++) {
                    pattern.append('A');
                }
                break;
            }
            OptionTuple tuple = parseOptional(arg);
            if (tuple == null) {
                pattern.append('A');
            } else {
                optionIndices.put(i, tuple);
                pattern.append('O');
            }
        }
        String patterns = pattern.toString();
        List<Action> remaining = new ArrayList<>(positionals);

        int start = 0;
        int maxOption = optionIndices.isEmpty() ? -1 : ((TreeMap<Integer, OptionTuple>) optionIndices).lastKey();
        while (start <= maxOption) {
            int from = start;
            // the next option at or after start: a lookup, not a scan (80,000 options took a minute: red
            // team, mcp round 10, F4)
            int next = ((TreeMap<Integer, OptionTuple>) optionIndices).ceilingKey(from);
            if (start != next) {
                int end = consumePositionals(start, args, patterns, remaining, taken);
                if (end > start) {
                    start = end;
                    continue;
                }
                start = end;
            }
            if (!optionIndices.containsKey(start)) {
                extras.addAll(args.subList(start, next));
                start = next;
            }
            start = consumeOptional(start, optionIndices.get(start), args, patterns, taken, extras);
        }
        int stop = consumePositionals(start, args, patterns, remaining, taken);
        extras.addAll(args.subList(Math.min(stop, args.size()), args.size()));

        List<String> missing = new ArrayList<>();
        for (Action a : remaining) {
            if (a.nargs() == Nargs.ONE || a.nargs() == Nargs.ONE_OR_MORE || a.nargs() == Nargs.TWO) {
                missing.add(a.label());
            }
        }
        if (!missing.isEmpty()) {
            throw new ParseError("the following arguments are required: " + String.join(", ", missing));
        }
    }

    private int consumeOptional(int index, OptionTuple tuple, List<String> args, String patterns, List<Taken> taken,
                                List<String> extras) throws ParseError {
        if (tuple.action() == null) {
            extras.add(args.get(index));
            return index + 1;
        }
        Action action = tuple.action();
        if (tuple.explicit() != null) {
            int count = match(action.nargs().optionPattern, "A", 0, action);
            if (count == 1) {
                take(taken, action, tuple.optionString(), List.of(tuple.explicit()));
                return index + 1;
            }
            throw new ParseError("argument " + optionNames(action) + ": ignored explicit argument '" + tuple.explicit() + "'");
        }
        int begin = index + 1;
        int count = match(action.nargs().optionPattern, patterns, Math.min(begin, patterns.length()), action);
        take(taken, action, tuple.optionString(), args.subList(begin, begin + count));
        return begin + count;
    }

    private int consumePositionals(int start, List<String> args, String patterns, List<Action> remaining,
                                   List<Taken> taken) throws ParseError {
        int from = Math.min(start, patterns.length());
        for (int n = remaining.size(); n > 0; n--) {
            StringBuilder regex = new StringBuilder();
            for (Action a : remaining.subList(0, n)) {
                regex.append(a.nargs().positionalPattern);
            }
            // matched in place from start: a copy of the rest for every call made parsing quadratic
            Matcher m = PATTERNS.computeIfAbsent(regex.toString(), Pattern::compile).matcher(patterns)
                    .region(from, patterns.length());
            if (m.lookingAt()) {
                int index = start;
                for (int g = 1; g <= n; g++) {
                    int count = m.group(g).length();
                    List<String> words = new ArrayList<>(args.subList(index, index + count));
                    words.remove("--"); // argparse drops the first '--' from a positional's words
                    take(taken, remaining.get(g - 1), "", words);
                    index += count;
                }
                remaining.subList(0, n).clear();
                return index;
            }
        }
        return start;
    }

    private void take(List<Taken> taken, Action action, String optionString, List<String> values) throws ParseError {
        if (!action.choices().isEmpty()) {
            for (String v : values) {
                if (!action.choices().contains(v)) {
                    throw new ParseError("argument " + (action.positional() ? action.dest() : optionNames(action))
                            + ": Invalid choice '" + v + "', valid choices are: "
                            + String.join(", ", new java.util.TreeSet<>(action.choices())));
                }
            }
        }
        taken.add(new Taken(action, optionString, values));
        if (exiting.contains(action.dest())) {
            throw new Exit();
        }
    }

    /** Compiled nargs patterns, by their text: a handful of them. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> PATTERNS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Matches {@code nargsPattern} at {@code from} in {@code patterns}, in place. */
    private static int match(String nargsPattern, String patterns, int from, Action action) throws ParseError {
        Matcher m = PATTERNS.computeIfAbsent(nargsPattern, Pattern::compile).matcher(patterns)
                .region(from, patterns.length());
        if (!m.lookingAt()) {
            String expected = switch (action.nargs()) {
                case ONE -> "expected one argument";
                case OPTIONAL -> "expected at most one argument";
                case ONE_OR_MORE -> "expected at least one argument";
                case TWO -> "expected 2 arguments";
                case ZERO, ZERO_OR_MORE -> "unexpected arguments";
            };
            throw new ParseError("argument " + optionNames(action) + ": " + expected);
        }
        return m.group(1).length();
    }

    private static String optionNames(Action action) {
        return String.join("/", action.names());
    }

    /** CPython's {@code _parse_optional}: null when the word is a positional. */
    private OptionTuple parseOptional(String arg) throws ParseError {
        if (arg.isEmpty() || arg.charAt(0) != '-') {
            return null;
        }
        Action exact = byOptionString.get(arg);
        if (exact != null) {
            return new OptionTuple(exact, arg, null);
        }
        if (arg.length() == 1) {
            return null;
        }
        int eq = arg.indexOf('=');
        if (eq >= 0) {
            Action a = byOptionString.get(arg.substring(0, eq));
            if (a != null) {
                return new OptionTuple(a, arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        List<OptionTuple> candidates = optionTuples(arg);
        if (candidates.size() > 1) {
            throw new ParseError("ambiguous option: " + arg + " could match "
                    + String.join(", ", candidates.stream().map(OptionTuple::optionString).toList()));
        }
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        if (NEGATIVE_NUMBER.matcher(arg).find()) {
            return null; // no option here looks like a negative number
        }
        if (arg.indexOf(' ') >= 0) {
            return null;
        }
        return new OptionTuple(null, arg, null);
    }

    /** CPython's {@code _get_option_tuples}: the options this word could abbreviate. */
    private List<OptionTuple> optionTuples(String arg) {
        List<OptionTuple> result = new ArrayList<>();
        if (arg.length() >= 2 && arg.charAt(1) == '-') {
            int eq = arg.indexOf('=');
            String prefix = eq >= 0 ? arg.substring(0, eq) : arg;
            String explicit = eq >= 0 ? arg.substring(eq + 1) : null;
            for (Map.Entry<String, Action> e : byOptionString.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    result.add(new OptionTuple(e.getValue(), e.getKey(), explicit));
                }
            }
        } else {
            // single dash: only an exact two-character option or an option starting with the whole word
            // could match; every option here starts with "--", so neither can
            String shortPrefix = arg.substring(0, 2);
            for (Map.Entry<String, Action> e : byOptionString.entrySet()) {
                if (e.getKey().equals(shortPrefix) || e.getKey().startsWith(arg)) {
                    result.add(new OptionTuple(e.getValue(), e.getKey(), null));
                }
            }
        }
        return result;
    }
}
