package dev.awssandbox.core.access;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A shell's pathname pattern as a predicate, over-inclusive: {@code *}, {@code ?} and brackets with
 * {@code !} or {@code ^} negation and POSIX classes ({@code [[:alnum:]]}) as bash reads them; bash's
 * extglob, zsh's extended patterns, alternation and flags ({@code !(…)}, {@code ^x}, {@code a~b},
 * {@code *.(sh|zsh)}, {@code (#i)}), equivalence classes and collating symbols ({@code [[=a=]]},
 * {@code [[.a.]]}), and anything else not read here, as every name. Java's glob reads {@code [^…]}
 * as a literal {@code ^}, throws on {@code [[:alnum:]]}, and matched none of zsh's forms, so links
 * such patterns source were not followed, or every write path became unknown (red team, round 62,
 * F5–F7, FP1). Letters match in either case (bash's {@code nocaseglob}, zsh's {@code NO_CASE_GLOB}:
 * round 63, F3), and a {@code **} component any number of directories (zsh's {@code **}{@code /},
 * bash's {@code globstar}: round 63, F1). Matching more only keeps more.
 */
final class ShellPattern {
    private ShellPattern() {}

    private static final Predicate<String> EVERY_NAME = name -> true;

    /** One character, or a run of non-ASCII ones (a name's é decoded as two characters). */
    private static final String ONE_CHARACTER = "(?:[\\x00-\\x7F]|[^\\x00-\\x7F]+)";

    private static final Map<String, String> CLASSES = Map.ofEntries(Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\p{Digit}"), Map.entry("lower", "\\p{Alpha}"),
            Map.entry("upper", "\\p{Alpha}"), Map.entry("space", "\\s"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("xdigit", "\\p{XDigit}"), Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("print", "\\p{Print}"), Map.entry("word", "\\w"));

    /** One component of a pattern (no {@code /}) as a predicate on names. */
    static Predicate<String> name(String component) {
        // made once a component: the expansion asks at every directory it lists, each write path's judgement at every name
        if (NAMES.size() > MOST_NAMES) {
            NAMES.clear();
        }
        return NAMES.computeIfAbsent(component, ShellPattern::compile);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Predicate<String>> NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MOST_NAMES = 4096;

    private static Predicate<String> compile(String component) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                // one character, or a run of non-ASCII ones: a JVM without a UTF-8 locale decodes a name's é as two
                // characters (red team, round 63, F17)
                case '?' -> regex.append(ONE_CHARACTER);
                case '[' -> {
                    int close = bracketEnd(component, i);
                    String set = close < 0 ? null : bracket(component.substring(i + 1, close));
                    if (set == null) {
                        return EVERY_NAME;
                    }
                    regex.append(set);
                    i = close;
                }
                case '\\' -> {
                    if (i + 1 < component.length()) {
                        regex.append(Pattern.quote(String.valueOf(component.charAt(++i))));
                    }
                }
                // extglob's and zsh's operators, alternation, flags, numeric ranges, braces: every name
                case '(', ')', '|', '^', '~', '#', '<', '>', '{', '}' -> {
                    return EVERY_NAME;
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL | Pattern.CASE_INSENSITIVE
                    | Pattern.UNICODE_CASE);
            return name -> compiled.matcher(name).matches();
        } catch (PatternSyntaxException e) {
            return EVERY_NAME;
        }
    }

    /**
     * A pattern's components ({@code /} apart, empty ones dropped), zsh's {@code GLOB_STAR_SHORT} form {@code **.zsh}
     * ({@code ***.zsh}) as {@code **}{@code /*.zsh} (red team, round 64, F9).
     */
    static List<String> components(String pattern) {
        List<String> out = new java.util.ArrayList<>();
        for (String c : pattern.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue; // '~/*/./bin' is '~/*/bin' (review of round 63)
            }
            if (c.startsWith("**") && !recursive(c)) {
                out.add("**");
                out.add("*" + c.substring(c.startsWith("***") ? 3 : 2));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** {@code text} as a pattern that matches it alone: each character a pattern gives a meaning to, escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("*?[]\\()|^~#<>{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Whether a pattern's component is {@code **} (or zsh's {@code ***}, which follows links): any number of directories. */
    static boolean recursive(String component) {
        return component.equals("**") || component.equals("***");
    }

    /**
     * Where the bracket expression at {@code open} ends ({@code ]} first in it is literal; classes, equivalence classes
     * and collating symbols skipped), or -1.
     */
    private static int bracketEnd(String s, int open) {
        int j = open + 1;
        if (j < s.length() && (s.charAt(j) == '!' || s.charAt(j) == '^')) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            j++;
        }
        while (j < s.length()) {
            String closing = s.startsWith("[:", j) ? ":]" : s.startsWith("[=", j) ? "=]" : s.startsWith("[.", j) ? ".]" : null;
            if (closing != null) {
                int end = s.indexOf(closing, j + 2);
                if (end < 0) {
                    return -1;
                }
                j = end + 2;
            } else if (s.charAt(j) == ']') {
                return j;
            } else {
                j++;
            }
        }
        return -1;
    }

    /** A bracket expression's body as a regular expression's class, or null where it is not read here. */
    private static String bracket(String body) {
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            // a negated set as any one character: its letters are taken out in either case where the pattern matches in
            // either case, so '[!A-Z]*' had matched no lower-case name either (red team, round 68, F1)
            return ONE_CHARACTER;
        }
        StringBuilder set = new StringBuilder("[");
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (body.startsWith("[=", i) || body.startsWith("[.", i)) {
                return null; // an equivalence class or a collating symbol: the locale's, not read here (round 63, F2)
            }
            if (body.startsWith("[:", i)) {
                int end = body.indexOf(":]", i + 2);
                String regex = CLASSES.get(body.substring(i + 2, end));
                if (regex == null) {
                    return null;
                }
                // with any non-ASCII character: the locale's classes hold letters, digits and spaces Java's do not
                set.append(regex).append("\\x{80}-\\x{10FFFF}");
                i = end + 1;
            } else if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
                set.append('\\').append(c);
            } else {
                set.append(c);
            }
        }
        return set.append(']').toString();
    }
}
