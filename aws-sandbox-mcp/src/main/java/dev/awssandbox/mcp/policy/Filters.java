package dev.awssandbox.mcp.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The text filters allowed after {@code |}, each with an allow-list of options. A filter's argv is
 * read the way the program reads it (GNU {@code getopt_long}: clustered short options, an option's
 * argument attached or next, long options by unique prefix of <em>all</em> the program's long
 * options, options after operands; jq 1.6: clustered flags, exact long options), every option
 * must be on the filter's allow-list, and operands are limited to what is not a file (grep's
 * pattern, tr's sets, jq's program). The canonical argv names each option once in full, then
 * {@code --}, then the operands.
 *
 * <p>Refused on purpose: options that read or write files or run programs ({@code jq -f
 * --rawfile --slurpfile -L}, {@code grep -f -r --exclude-from}, {@code sort -o -T
 * --compress-program --files0-from --random-source}, {@code wc --files0-from}), file operands
 * ({@code uniq IN OUT} writes OUT), and anything not listed.
 */
public final class Filters {
    /**
     * jq's module directives and builtins, which read files: {@code import "m" as m;}, {@code include "m";},
     * {@code modulemeta}, {@code get_search_list}; looked for in the program's code only ({@link #jqCode}).
     */
    private static final java.util.regex.Pattern JQ_MODULE = java.util.regex.Pattern.compile(
            "(?<![\\w$.])(?:import|include|modulemeta|get_search_list)(?!\\w)");

    /**
     * A jq program's code as jq's lexer sees it: string literals emptied (their interpolations {@code \\(…)} kept, which
     * are code) and comments ({@code #} to the line's end) blanked. A comment between {@code import} and its path had
     * hidden the directive from a pattern on the raw text (MCP red team of 2026-12-06, MRT-5).
     */
    static String jqCode(String program) {
        StringBuilder code = new StringBuilder(program.length());
        java.util.ArrayDeque<Integer> interpolations = new java.util.ArrayDeque<>(); // paren depth at each \(
        boolean inString = false;
        int depth = 0;
        for (int i = 0; i < program.length(); i++) {
            char c = program.charAt(i);
            if (inString) {
                if (c == '\\' && i + 1 < program.length() && program.charAt(i + 1) == '(') {
                    interpolations.push(depth);
                    depth++;
                    inString = false;
                    code.append(" (");
                    i++;
                } else if (c == '\\') {
                    i++; // an escaped character
                } else if (c == '"') {
                    inString = false;
                    code.append('"');
                }
            } else if (c == '"') {
                inString = true;
                code.append('"');
            } else if (c == '#') {
                while (i + 1 < program.length() && program.charAt(i + 1) != '\n') {
                    i++;
                }
                code.append(' ');
            } else if (c == '(') {
                depth++;
                code.append(c);
            } else if (c == ')') {
                depth--;
                code.append(c);
                if (!interpolations.isEmpty() && interpolations.peek() == depth) {
                    interpolations.pop();
                    inString = true; // back in the string the interpolation was in
                }
            } else {
                code.append(c);
            }
        }
        return code.toString();
    }

    /** How a program reads its options. */
    enum Style { GNU, JQ }

    /**
     * An option.
     *
     * @param shortName its letter, or 0
     * @param longName  its long name without dashes, or empty
     * @param arity     words it takes (0, 1, or 2 for jq's {@code --arg name value})
     * @param allowed   on the allow-list
     */
    record Opt(char shortName, String longName, int arity, boolean allowed) {
        String display() {
            return longName.isEmpty() ? "-" + shortName : "--" + longName;
        }
    }

    /**
     * A filter program.
     *
     * @param name        program name
     * @param style       how it reads options
     * @param options     every option it has (for prefix matching), allowed or not
     * @param minOperands operands it needs
     * @param maxOperands operands it may have (more would be files)
     * @param operandNote what the operands are, for messages
     */
    record Spec(String name, Style style, List<Opt> options, int minOperands, int maxOperands, String operandNote) {
        Spec {
            options = List.copyOf(options);
        }

        String allowedList() {
            List<String> names = new ArrayList<>();
            for (Opt o : options) {
                if (o.allowed()) {
                    names.add(o.shortName() != 0 ? "-" + o.shortName() : "--" + o.longName());
                }
            }
            return String.join(" ", names);
        }
    }

    private static Opt o(char s, String l, int arity) {
        return new Opt(s, l, arity, true);
    }

    private static Opt no(char s, String l, int arity) {
        return new Opt(s, l, arity, false);
    }

    private static final char NONE = 0;

    /** Every filter this server knows; the configured set may be smaller. */
    static final Map<String, Spec> SPECS;

    static {
        Map<String, Spec> m = new LinkedHashMap<>();
        m.put("jq", new Spec("jq", Style.JQ, List.of(
                o('r', "raw-output", 0), o('j', "join-output", 0), o('c', "compact-output", 0), o('s', "slurp", 0),
                o('n', "null-input", 0), o('e', "exit-status", 0), o('S', "sort-keys", 0), o('a', "ascii-output", 0),
                o('M', "monochrome-output", 0), o('C', "color-output", 0), o('R', "raw-input", 0),
                o(NONE, "tab", 0), o(NONE, "indent", 1), o(NONE, "arg", 2), o(NONE, "argjson", 2), o(NONE, "stream", 0),
                o(NONE, "seq", 0), o(NONE, "unbuffered", 0),
                no('f', "from-file", 0), no('L', "", 1), no(NONE, "rawfile", 2), no(NONE, "slurpfile", 2),
                no(NONE, "run-tests", 0), no(NONE, "args", 0), no(NONE, "jsonargs", 0), no('h', "help", 0),
                no(NONE, "debug-dump-disasm", 0), no(NONE, "debug-trace", 0)), 0, 1, "the jq program"));
        m.put("grep", new Spec("grep", Style.GNU, List.of(
                o('E', "extended-regexp", 0), o('F', "fixed-strings", 0), o('G', "basic-regexp", 0),
                o('P', "perl-regexp", 0), o('e', "regexp", 1), o('i', "ignore-case", 0), o('y', "", 0),
                o(NONE, "no-ignore-case", 0), o('w', "word-regexp", 0), o('x', "line-regexp", 0), o('z', "null-data", 0),
                o('s', "no-messages", 0), o('v', "invert-match", 0), o('m', "max-count", 1), o('b', "byte-offset", 0),
                o('n', "line-number", 0), o(NONE, "line-buffered", 0), o('o', "only-matching", 0), o('q', "quiet", 0),
                o(NONE, "silent", 0), o('a', "text", 0), o('c', "count", 0), o('B', "before-context", 1),
                o('A', "after-context", 1), o('C', "context", 1), o(NONE, "group-separator", 1),
                o(NONE, "no-group-separator", 0), o('U', "binary", 0), o('h', "no-filename", 0),
                no('f', "file", 1), no('r', "recursive", 0), no('R', "dereference-recursive", 0),
                no('d', "directories", 1), no('D', "devices", 1), no(NONE, "include", 1), no(NONE, "exclude", 1),
                no(NONE, "exclude-from", 1), no(NONE, "exclude-dir", 1), no('H', "with-filename", 0),
                no(NONE, "label", 1), no(NONE, "binary-files", 1), no('I', "", 0), no('L', "files-without-match", 0),
                no('l', "files-with-matches", 0), no('T', "initial-tab", 0), no('Z', "null", 0),
                no(NONE, "color", 1), no(NONE, "colour", 1), no('V', "version", 0), no(NONE, "help", 0)),
                0, 1, "the pattern"));
        m.put("sort", new Spec("sort", Style.GNU, List.of(
                o('b', "ignore-leading-blanks", 0), o('d', "dictionary-order", 0), o('f', "ignore-case", 0),
                o('g', "general-numeric-sort", 0), o('i', "ignore-nonprinting", 0), o('M', "month-sort", 0),
                o('h', "human-numeric-sort", 0), o('n', "numeric-sort", 0), o('R', "random-sort", 0),
                o('r', "reverse", 0), o(NONE, "sort", 1), o('V', "version-sort", 0), o('c', "check", 0), o('C', "", 0),
                o('k', "key", 1), o('s', "stable", 0), o('t', "field-separator", 1), o('u', "unique", 0),
                o('z', "zero-terminated", 0), o(NONE, "debug", 0),
                no(NONE, "random-source", 1), no(NONE, "batch-size", 1), no(NONE, "compress-program", 1),
                no(NONE, "files0-from", 1), no('m', "merge", 0), no('o', "output", 1), no('S', "buffer-size", 1),
                no('T', "temporary-directory", 1), no(NONE, "parallel", 1), no(NONE, "help", 0),
                no(NONE, "version", 0)), 0, 0, ""));
        m.put("head", new Spec("head", Style.GNU, List.of(
                o('c', "bytes", 1), o('n', "lines", 1), o('q', "quiet", 0), o(NONE, "silent", 0), o('v', "verbose", 0),
                o('z', "zero-terminated", 0), no(NONE, "help", 0), no(NONE, "version", 0)), 0, 0, ""));
        m.put("tail", new Spec("tail", Style.GNU, List.of(
                o('c', "bytes", 1), o('n', "lines", 1), o('q', "quiet", 0), o(NONE, "silent", 0), o('v', "verbose", 0),
                o('z', "zero-terminated", 0), no('f', "follow", 1), no('F', "", 0), no(NONE, "max-unchanged-stats", 1),
                no(NONE, "pid", 1), no(NONE, "retry", 0), no('s', "sleep-interval", 1), no(NONE, "help", 0),
                no(NONE, "version", 0)), 0, 0, ""));
        m.put("uniq", new Spec("uniq", Style.GNU, List.of(
                o('c', "count", 0), o('d', "repeated", 0), o('D', "", 0), o('f', "skip-fields", 1),
                o('i', "ignore-case", 0), o('s', "skip-chars", 1), o('u', "unique", 0), o('z', "zero-terminated", 0),
                o('w', "check-chars", 1), no(NONE, "all-repeated", 1), no(NONE, "group", 1), no(NONE, "help", 0),
                no(NONE, "version", 0)), 0, 0, ""));
        m.put("wc", new Spec("wc", Style.GNU, List.of(
                o('c', "bytes", 0), o('m', "chars", 0), o('l', "lines", 0), o('L', "max-line-length", 0),
                o('w', "words", 0), no(NONE, "files0-from", 1), no(NONE, "total", 1), no(NONE, "help", 0),
                no(NONE, "version", 0)), 0, 0, ""));
        m.put("cut", new Spec("cut", Style.GNU, List.of(
                o('b', "bytes", 1), o('c', "characters", 1), o('d', "delimiter", 1), o('f', "fields", 1), o('n', "", 0),
                o(NONE, "complement", 0), o('s', "only-delimited", 0), o(NONE, "output-delimiter", 1),
                o('z', "zero-terminated", 0), no(NONE, "help", 0), no(NONE, "version", 0)), 0, 0, ""));
        m.put("tr", new Spec("tr", Style.GNU, List.of(
                o('c', "complement", 0), o('C', "", 0), o('d', "delete", 0), o('s', "squeeze-repeats", 0),
                o('t', "truncate-set1", 0), no(NONE, "help", 0), no(NONE, "version", 0)), 1, 2, "the sets"));
        m.put("column", new Spec("column", Style.GNU, List.of(
                o('t', "table", 0), o('n', "table-name", 1), o('O', "table-order", 1), o('N', "table-columns", 1),
                o('l', "table-columns-limit", 1), o('E', "table-noextreme", 1), o('d', "table-noheadings", 0),
                o('e', "table-header-repeat", 0), o('H', "table-hide", 1), o('R', "table-right", 1),
                o('T', "table-truncate", 1), o('W', "table-wrap", 1), o('L', "keep-empty-lines", 0), o('J', "json", 0),
                o('r', "tree", 1), o('i', "tree-id", 1), o('p', "tree-parent", 1), o('c', "output-width", 1),
                o('o', "output-separator", 1), o('s', "separator", 1), o('x', "fillrows", 0), no('h', "help", 0),
                no('V', "version", 0)), 0, 0, ""));
        SPECS = java.util.Collections.unmodifiableMap(m);
    }

    /** The default filters: every one known here. */
    public static final Set<String> DEFAULT = java.util.Collections.unmodifiableSet(new TreeSet<>(SPECS.keySet()));

    private Filters() {}

    /**
     * Checks a filter stage and returns its canonical argv.
     *
     * @param stage   1-based, for messages
     * @param allowed the filters this server allows
     */
    static List<String> check(List<String> argv, int stage, Set<String> allowed) throws Refused {
        String program = argv.getFirst();
        Spec spec = SPECS.get(program);
        if (spec == null || !allowed.contains(program)) {
            throw new Refused("'" + AwsCli.abbreviate(program) + "' (stage " + stage + ") is not an allowed filter;"
                    + " after '|' use one of: " + String.join(", ", new TreeSet<>(allowed)));
        }
        if ((program.equals("head") || program.equals("tail")) && argv.size() > 1 && argv.get(1).matches("-[0-9]+")) {
            // the form most write, head -5: as GNU reads it when first, -n 5 (workflow review of 2026-12-04, F11)
            List<String> lines = new ArrayList<>(List.of(program, "-n", argv.get(1).substring(1)));
            lines.addAll(argv.subList(2, argv.size()));
            argv = lines;
        }
        return spec.style() == Style.JQ ? jq(spec, argv) : gnu(spec, argv);
    }

    private record Taken(Opt opt, List<String> values) {}

    private static List<String> gnu(Spec spec, List<String> argv) throws Refused {
        List<Taken> taken = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                operands.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                Opt opt = longOption(spec, name);
                allow(spec, opt);
                if (opt.arity() == 0) {
                    if (eq >= 0) {
                        throw new Refused(spec.name() + ": option '--" + opt.longName() + "' doesn't allow an argument");
                    }
                    taken.add(new Taken(opt, List.of()));
                } else {
                    String value;
                    if (eq >= 0) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < argv.size()) {
                        value = argv.get(++i);
                    } else {
                        throw new Refused(spec.name() + ": option '--" + opt.longName() + "' requires an argument");
                    }
                    taken.add(new Taken(opt, List.of(value)));
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    Opt opt = shortOption(spec, c);
                    allow(spec, opt);
                    if (opt.arity() == 0) {
                        taken.add(new Taken(opt, List.of()));
                        continue;
                    }
                    String value;
                    if (j + 1 < a.length()) {
                        value = a.substring(j + 1);
                    } else if (i + 1 < argv.size()) {
                        value = argv.get(++i);
                    } else {
                        throw new Refused(spec.name() + ": option '-" + c + "' requires an argument");
                    }
                    taken.add(new Taken(opt, List.of(value)));
                    break;
                }
            } else {
                operands.add(a);
            }
        }
        checkOperands(spec, operands, taken.stream().anyMatch(t -> t.opt().longName().equals("regexp")));
        List<String> canonical = new ArrayList<>();
        canonical.add(spec.name());
        for (Taken t : taken) {
            if (t.opt().longName().isEmpty()) {
                canonical.add("-" + t.opt().shortName());
                canonical.addAll(t.values());
            } else if (t.values().isEmpty()) {
                canonical.add("--" + t.opt().longName());
            } else {
                canonical.add("--" + t.opt().longName() + "=" + t.values().getFirst());
            }
        }
        canonical.add("--");
        canonical.addAll(operands);
        return List.copyOf(canonical);
    }

    private static List<String> jq(Spec spec, List<String> argv) throws Refused {
        List<Taken> taken = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("--")) {
                // jq 1.6 matches long options exactly, and has no '--' or '--name=value'
                String name = a.substring(2);
                Opt opt = spec.options().stream().filter(o -> !o.longName().isEmpty() && o.longName().equals(name))
                        .findFirst().orElseThrow(() -> new Refused("jq: unknown option " + AwsCli.abbreviate(a)
                                + "; allowed: " + spec.allowedList()));
                allow(spec, opt);
                if (i + opt.arity() >= argv.size()) {
                    throw new Refused("jq: option " + a + " needs " + opt.arity() + " argument(s)");
                }
                taken.add(new Taken(opt, argv.subList(i + 1, i + 1 + opt.arity())));
                i += opt.arity();
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int j = 1; j < a.length(); j++) {
                    Opt opt = shortOption(spec, a.charAt(j));
                    allow(spec, opt);
                    if (opt.arity() != 0) {
                        throw new Refused("jq: option -" + a.charAt(j) + " cannot be combined here");
                    }
                    taken.add(new Taken(opt, List.of()));
                }
            } else {
                operands.add(a);
            }
        }
        checkOperands(spec, operands, false);
        List<String> canonical = new ArrayList<>();
        canonical.add("jq");
        for (Taken t : taken) {
            canonical.add("--" + t.opt().longName());
            canonical.addAll(t.values());
        }
        canonical.addAll(operands);
        return List.copyOf(canonical);
    }

    private static void checkOperands(Spec spec, List<String> operands, boolean patternGiven) throws Refused {
        int max = patternGiven ? spec.maxOperands() - 1 : spec.maxOperands();
        int min = patternGiven ? 0 : spec.minOperands();
        if (spec.name().equals("grep") && !patternGiven) {
            min = 1;
        }
        if (operands.size() > max) {
            throw new Refused(spec.name() + " takes " + (max == 0 ? "no operand" : "at most " + max + " operand(s) ("
                    + spec.operandNote() + ")") + " here: filters read stdin and write stdout only, never files ('"
                    + AwsCli.abbreviate(operands.get(max)) + "')");
        }
        if (operands.size() < min) {
            throw new Refused(spec.name() + " needs " + spec.operandNote());
        }
        if (spec.style() == Style.JQ && !operands.isEmpty() && operands.getFirst().startsWith("-")) {
            throw new Refused("jq: a program that starts with '-' would be read as an option; write it as '(-1)' or '. | -1'");
        }
        // a module directive reads files from any directory it names ({search: "/dir"}): what it finds or not tells
        // whether a file exists outside the workspace (MCP red team of 2026-12-05, R3-2)
        if (spec.style() == Style.JQ && !operands.isEmpty() && JQ_MODULE.matcher(jqCode(operands.getFirst())).find()) {
            throw new Refused("jq: import and include read modules from files; filters read stdin only: write the"
                    + " definitions into the program (def f: …;)");
        }
    }

    private static void allow(Spec spec, Opt opt) throws Refused {
        if (!opt.allowed()) {
            throw new Refused("option " + opt.display() + " of " + spec.name() + " is not allowed: filters read stdin and"
                    + " write stdout only, and run nothing else; allowed: " + spec.allowedList());
        }
    }

    private static Opt shortOption(Spec spec, char c) throws Refused {
        return spec.options().stream().filter(o -> o.shortName() == c).findFirst()
                .orElseThrow(() -> new Refused(spec.name() + ": unknown option -" + c + "; allowed: " + spec.allowedList()));
    }

    /** getopt_long: an exact name, else the one option the prefix names (ambiguous otherwise). */
    private static Opt longOption(Spec spec, String name) throws Refused {
        Optional<Opt> exact = spec.options().stream().filter(o -> o.longName().equals(name) && !name.isEmpty()).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        List<Opt> matches = spec.options().stream()
                .filter(o -> !o.longName().isEmpty() && !name.isEmpty() && o.longName().startsWith(name)).toList();
        if (matches.isEmpty()) {
            throw new Refused(spec.name() + ": unknown option --" + AwsCli.abbreviate(name) + "; allowed: "
                    + spec.allowedList());
        }
        if (matches.size() > 1) {
            throw new Refused(spec.name() + ": option '--" + AwsCli.abbreviate(name) + "' is ambiguous; possibilities: "
                    + String.join(" ", matches.stream().map(o -> "--" + o.longName()).toList()));
        }
        return matches.getFirst();
    }
}
