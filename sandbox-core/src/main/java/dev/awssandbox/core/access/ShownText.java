package dev.awssandbox.core.access;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a plan's warnings and reasons may repeat of the configs they quote. A warning names the config
 * text that decided (a start-up file's {@code $(…)}, an ssh {@code ProxyCommand}, a git URL), and the
 * MCP server hands warnings to the model: a password, token or secret written in that text is left
 * out ({@code …}) wherever it stands in a form these rules know — a URL's credentials, an option or
 * an assignment or a header named after a secret, {@code sshpass -p}. Display only: what is withheld
 * never depends on it.
 */
public final class ShownText {
    private ShownText() {}

    /** The word left where a secret was. */
    static final String LEFT_OUT = "…";

    /**
     * A URL with a password ({@code scheme://user:password@host}), or with a token as its user name
     * ({@code https://ghp_…@github.com}, {@code x-access-token}, {@code oauth2}, or 32 characters and more).
     */
    static final Pattern PASSWORD_IN_URL = Pattern.compile(
            "(?i)[a-z][a-z0-9+.-]*://(?:[^/\\s:@]*:[^/\\s@]+|(?:gh[pousr]_|github_pat_|glpat-|x-access-token|oauth2)"
                    + "[^/\\s:@]*|[^/\\s:@]{32,})@");

    /**
     * A value: in quotes, or to a blank, a quote or the punctuation a sentence puts after it ({@code --password "X"},
     * {@code TOKEN='X'}: red team, 2026-12-06, R2-4).
     */
    private static final String VALUE = "\"[^\"\\n]*+\"?|'[^'\\n]*+'?|[^\\s'\"),;|&]+";

    /** What names a secret in an option's, a variable's or a header's name. */
    private static final String SECRET_NAME = "(?:password|passwd|passphrase|pass|pwd|token|secret|api[-_]?key|apikey"
            + "|auth|authorization|credentials?|private[-_]key|access[-_]key)";

    /**
     * The forms, each name's parts bounded ({@code {0,64}}, {@code {0,8}}: a warning may quote kilobytes of a config, and
     * open-ended runs before a name had made the patterns quadratic in a long word).
     */
    private static final List<Pattern> SECRETS = List.of(
            // --token X, --password=X, --api-key X
            Pattern.compile("(?i)((?<![\\w-])--?[\\w-]{0,64}?" + SECRET_NAME + "(?:=|\\s{1,8}))(" + VALUE + ")"),
            // sshpass -p X (its password on the command line), after its other options
            Pattern.compile("(?i)((?<![\\w-])sshpass(?:\\s{1,8}-\\S{1,64}){0,8}?\\s{1,8}-p\\s{0,8})(" + VALUE + ")"),
            // VAULT_TOKEN=X, password=X (a credential helper's output), AWS_SECRET_ACCESS_KEY=X
            Pattern.compile("(?i)((?<![\\w-])[\\w.-]{0,64}?" + SECRET_NAME + "\\w{0,64}\\s{0,8}=\\s{0,8})(" + VALUE + ")"),
            // Authorization: Bearer X, PRIVATE-TOKEN: X, X-Api-Key: X, Cookie: X: to the end of the quote or line
            Pattern.compile("(?i)((?<![\\w-])(?:[\\w-]{0,64}?" + SECRET_NAME + "[\\w-]{0,64}|cookie)\\s{0,8}:\\s{0,8})"
                    + "([^\\n'\"()]{1,4096}?)(?=\\s+\\(|[\\n'\")]|$)"));

    /** {@code text} with the secrets written in it left out. */
    public static String withoutSecrets(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String shown = withoutPasswords(text);
        for (Pattern secret : SECRETS) {
            Matcher m = secret.matcher(shown);
            if (m.find()) {
                shown = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + LEFT_OUT));
            }
        }
        return shown;
    }

    /** {@code text} with the credentials of its URLs left out ({@code https://…@host}). */
    static String withoutPasswords(String text) {
        return PASSWORD_IN_URL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group().substring(0, m.group().indexOf("://") + 3) + LEFT_OUT + "@"));
    }
}
