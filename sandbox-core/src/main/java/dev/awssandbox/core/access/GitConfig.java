package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a repository's config names that git runs or reads as config, outside any sandbox, on the
 * user's next {@code git status} or {@code git commit}: included config files ({@code include.path},
 * {@code includeIf.*.path}, followed recursively, every condition counted as true), the hooks
 * directory ({@code core.hooksPath}), and the files named by the words of every command-valued key
 * ({@code core.fsmonitor}, {@code core.sshCommand}, {@code *.textconv}, {@code filter.*.clean}, an
 * {@code alias} starting with {@code !}, …). A command that can write one of them runs code outside
 * the sandbox, although {@code .git} itself is read-only (red team, round 18: an included
 * {@code ./.gitconfig} gained an fsmonitor; a {@code .githooks/pre-commit} and a {@code ./fsmon.sh}
 * were rewritten).
 *
 * <p>The config is read by a small parser of git's syntax (sections {@code [a "b"]} and
 * {@code [a.b]}, {@code key = value}, quotes, escapes, comments, continued lines). Anything it does
 * not understand, an include nested deeper than git's own limit ({@value #MAX_INCLUDE_DEPTH}), a
 * config file larger than {@value #MAX_BYTES} bytes or one that cannot be read fails closed: the
 * whole working tree is then named ({@link Target#stable()} false), so no grant in or around it is
 * made writable.
 */
final class GitConfig {
    static final int MAX_INCLUDE_DEPTH = 10;
    static final int MAX_BYTES = 1 << 20;
    private static final int MAX_FILES = 100;

    /**
     * One path a repository's config names.
     *
     * @param lexical    as the config names it, made absolute and normalized
     * @param real       where it leads ({@code lexical} when nothing on the way is a link)
     * @param exists     something (or a dangling link) is there
     * @param stable     it exists and nothing on the way to it is a symbolic link: a read-only
     *                   mask over it holds; otherwise only withholding every grant around it does
     * @param container  what lies inside it counts too (a hooks directory, an include, a whole
     *                   working tree), so no grant inside it is writable; a command's word names
     *                   itself only ({@code cd ~/src} in an alias does not protect {@code ~/src})
     * @param why        what names it ("named by core.hooksPath in /p/.git/config"), said in refusals
     */
    record Target(Path lexical, Path real, boolean exists, boolean stable, boolean container, String why) {}

    /** The config could not be read as git would: the message says where and why. */
    static final class Unparseable extends Exception {
        private static final long serialVersionUID = 1L;

        Unparseable(String message) {
            super(message);
        }
    }

    private GitConfig() {}

    /**
     * The paths named by the config of every repository {@code entries} found in or below the
     * write paths, and of every repository whose working tree holds one of {@code writePaths}
     * (resolved): a {@code .git} in the write path or any directory above it.
     */
    static List<Target> around(List<Path> writePaths, List<GitMetadata.Entry> entries, Path home) {
        java.util.Map<Path, Path> repositories = new java.util.LinkedHashMap<>(); // git directory -> top
        for (GitMetadata.Entry entry : entries) {
            Path path = entry.path();
            if (path.getFileName() != null && path.getFileName().toString().equals(".git")) {
                gitDirectoryOf(path).ifPresent(git -> repositories.putIfAbsent(git, path.getParent()));
            } else if (GitMetadata.isGitDirectory(path)) {
                repositories.putIfAbsent(path, path); // bare: git runs its hooks there
            }
        }
        for (Path write : writePaths) {
            for (Path up = write; up != null; up = up.getParent()) {
                Path dotGit = up.resolve(".git");
                if (NativeLstat.kindNow(dotGit) != FileFacts.Kind.ABSENT) {
                    Path top = up;
                    gitDirectoryOf(dotGit).ifPresent(git -> repositories.putIfAbsent(git, top));
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        repositories.forEach((git, top) -> targets.addAll(targets(git, top, home)));
        return targets;
    }

    /** The git directory a {@code .git} directory, link or {@code gitdir:} file stands for. */
    private static Optional<Path> gitDirectoryOf(Path dotGit) {
        try {
            if (Files.isDirectory(dotGit)) {
                return Optional.of(dotGit.toRealPath());
            }
            if (Files.isRegularFile(dotGit)) {
                for (String line : Files.readString(dotGit, StandardCharsets.UTF_8).lines().toList()) {
                    if (line.startsWith("gitdir:")) {
                        return Optional.of(dotGit.getParent().resolve(line.substring("gitdir:".length()).strip())
                                .toRealPath());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // none git could use either
        }
        return Optional.empty();
    }

    /** Keys whose value is a shell command (lower-case section and name; {@code *} any subsection). */
    private static final List<String> COMMAND_KEYS = List.of(
            "core.fsmonitor", "core.sshcommand", "core.editor", "core.pager", "core.askpass", "core.gitproxy",
            "sequence.editor", "diff.external", "diff.*.textconv", "diff.*.command", "filter.*.clean",
            "filter.*.smudge", "filter.*.process", "merge.*.driver", "mergetool.*.cmd", "mergetool.*.path",
            "difftool.*.cmd", "difftool.*.path", "credential.helper", "credential.*.helper", "gpg.program",
            "gpg.*.program", "alias.*", "pager.*", "remote.*.uploadpack", "remote.*.receivepack", "web.browser",
            "browser.*.cmd", "browser.*.path", "man.*.cmd", "man.*.path", "sendemail.sendmailcmd",
            "sendemail.smtpserver", "sendemail.tocmd", "sendemail.cccmd", "sendemail.headercmd",
            "sendemail.*.sendmailcmd", "sendemail.*.smtpserver", "sendemail.*.tocmd", "sendemail.*.cccmd",
            "guitool.*.cmd", "instaweb.httpd", "uploadpack.packobjectshook");

    /** Keys whose value is one path (relative to the working tree), not a command. */
    private static final Set<String> PATH_KEYS = Set.of("core.hookspath");

    /**
     * Every path the config of the repository whose git directory is {@code gitDirectory} names,
     * relative paths resolved against {@code top} (its working tree, or the git directory itself
     * when bare). Never throws: a config that cannot be read names {@code top} itself, unstable.
     */
    static List<Target> targets(Path gitDirectory, Path top, Path home) {
        List<Path> files = new ArrayList<>();
        Path common = commonDirectory(gitDirectory);
        files.add(common.resolve("config"));
        files.add(gitDirectory.resolve("config.worktree"));
        if (!common.equals(gitDirectory)) {
            files.add(common.resolve("config.worktree"));
        }
        List<Target> found = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        try {
            for (Path file : files) {
                read(file, top, home, 0, found, seen);
            }
        } catch (Unparseable e) {
            found.add(new Target(top, top, true, false, true, e.getMessage() + ": its whole working tree is treated"
                    + " as git metadata"));
        }
        return found;
    }

    private static Path commonDirectory(Path gitDirectory) {
        Path file = gitDirectory.resolve("commondir");
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                return gitDirectory.resolve(Files.readString(file, StandardCharsets.UTF_8).strip()).toRealPath();
            } catch (IOException | RuntimeException e) {
                return gitDirectory;
            }
        }
        return gitDirectory;
    }

    private static void read(Path file, Path top, Path home, int depth, List<Target> found, Set<Path> seen)
            throws Unparseable {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new Unparseable("the git config " + file + " is included more than " + MAX_INCLUDE_DEPTH + " levels deep");
        }
        if (seen.size() >= MAX_FILES) {
            throw new Unparseable("the git config of " + top + " includes more than " + MAX_FILES + " files");
        }
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                return; // git skips it too; the target itself was recorded by the include
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new Unparseable("the git config " + file + " is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return; // none: git reads none either (a missing include target was recorded by the include)
        } catch (IOException e) {
            throw new Unparseable("the git config " + file + " cannot be read (" + e.getMessage() + ")");
        }
        Path key = file.toAbsolutePath().normalize();
        if (!seen.add(key)) {
            return; // an include cycle: git stops at its depth limit; nothing new is named
        }
        String where = " in " + file;
        String by = "named by ";
        for (Entry entry : parse(new String(bytes, StandardCharsets.UTF_8), file.toString())) {
            String name = entry.name();
            if (entry.value() == null) {
                continue; // a boolean: names nothing
            }
            if (name.equals("include.path") || name.startsWith("includeif.") && name.endsWith(".path")) {
                Path parent = file.toAbsolutePath().getParent();
                Path target = parent.resolve(expandHome(entry.value(), home)).normalize();
                found.add(target(target, true, by + entry.original() + where));
                read(target, top, home, depth + 1, found, seen);
            } else if (PATH_KEYS.contains(name)) {
                found.add(target(top.resolve(expandHome(entry.value(), home)).normalize(), true,
                        by + entry.original() + where));
            } else if (isCommandKey(name)) {
                for (String word : words(entry.value())) {
                    pathOf(word, top, home).ifPresent(path -> found.add(target(path, false, by + entry.original() + where)));
                }
            }
        }
    }

    private static boolean isCommandKey(String name) {
        for (String pattern : COMMAND_KEYS) {
            if (pattern.equals(name)) {
                return true;
            }
            int star = pattern.indexOf(".*.");
            if (star >= 0) {
                String section = pattern.substring(0, star + 1);
                String variable = pattern.substring(star + 2);
                if (name.startsWith(section) && name.endsWith(variable) && name.length() > section.length() + variable.length()) {
                    return true;
                }
            } else if (pattern.endsWith(".*") && name.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static String expandHome(String value, Path home) {
        if (value.equals("~")) {
            return home.toString();
        }
        return value.startsWith("~/") ? home + value.substring(1) : value;
    }

    private static final Pattern SPLIT = Pattern.compile("[\\s;|&()<>`'\"=!{}]+");

    /**
     * The words of a command, over-inclusively: split at blanks, quotes and the shell's operators,
     * so the words of {@code sh -c '…'} count too.
     */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        for (String word : SPLIT.split(command)) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /**
     * The path a command's word names: a word with a {@code /} always (it need not exist yet: a
     * command could create it); one without, only when it exists in the working tree (git looks a
     * bare program name up on PATH, but it may be an argument: {@code sh hook.sh}). Options,
     * placeholders ({@code %f}) and variables are no path.
     */
    private static Optional<Path> pathOf(String word, Path top, Path home) {
        if (word.startsWith("-") || word.contains("%") || word.contains("$")) {
            return Optional.empty();
        }
        String expanded = expandHome(word, home);
        if (expanded.contains("/")) {
            return Optional.of(top.resolve(expanded).normalize());
        }
        Path candidate = top.resolve(expanded).normalize();
        FileFacts.Kind kind = NativeLstat.kindNow(candidate);
        return kind == FileFacts.Kind.ABSENT ? Optional.empty() : Optional.of(candidate);
    }

    /** The target {@code lexical} (absolute, normalized) makes. */
    static Target target(Path lexical, boolean container, String why) {
        Path real = realOf(lexical);
        boolean exists = NativeLstat.kindNow(lexical) != FileFacts.Kind.ABSENT;
        return new Target(lexical, real, exists, exists && real.equals(lexical), container, why);
    }

    /** Where {@code path} leads: its longest existing ancestor resolved, with the rest appended. */
    private static Path realOf(Path path) {
        Path existing = path;
        Path rest = null;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return rest == null ? real : real.resolve(rest);
            } catch (IOException e) {
                Path name = existing.getFileName();
                if (name == null) {
                    return path;
                }
                rest = rest == null ? name : name.resolve(rest);
                existing = existing.getParent();
            }
        }
        return path;
    }

    /**
     * One {@code key = value} of a config file.
     *
     * @param name     {@code section.subsection.key}, section and key lower-cased as git does
     * @param original as written, for messages
     * @param value    null for a key without {@code =} (a boolean true)
     */
    record Entry(String name, String original, String value) {}

    /** Parses git's config syntax; anything else is {@link Unparseable}. */
    static List<Entry> parse(String text, String file) throws Unparseable {
        Parser parser = new Parser(text, file);
        return parser.parse();
    }

    private static final class Parser {
        private final String text;
        private final String file;
        private int at;
        private int line = 1;
        private String section; // "core", "remote.origin" (subsection as written), null before any

        Parser(String text, String file) {
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.file = file;
        }

        private Unparseable error(String what) {
            return new Unparseable("the git config " + file + " cannot be parsed (line " + line + ": " + what + ")");
        }

        private int peek() {
            return at < text.length() ? text.charAt(at) : -1;
        }

        private int next() {
            int c = peek();
            if (c >= 0) {
                at++;
                if (c == '\n') {
                    line++;
                }
            }
            return c;
        }

        List<Entry> parse() throws Unparseable {
            List<Entry> entries = new ArrayList<>();
            while (true) {
                int c = next();
                if (c < 0) {
                    return entries;
                }
                if (c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b) {
                    continue;
                }
                if (c == '#' || c == ';') {
                    while (peek() >= 0 && peek() != '\n') {
                        next();
                    }
                    continue;
                }
                if (c == '[') {
                    section = header();
                    continue;
                }
                if (!isAlpha(c)) {
                    throw error("unexpected '" + (char) c + "'");
                }
                if (section == null) {
                    throw error("a key before any section");
                }
                entries.add(entry((char) c));
            }
        }

        private String header() throws Unparseable {
            StringBuilder name = new StringBuilder();
            while (true) {
                int c = next();
                if (c < 0 || c == '\n') {
                    throw error("an unterminated section header");
                }
                if (c == ']') {
                    if (name.isEmpty()) {
                        throw error("an empty section name");
                    }
                    return name.toString().toLowerCase(Locale.ROOT);
                }
                if (c == ' ' || c == '\t') {
                    return subsection(name.toString().toLowerCase(Locale.ROOT));
                }
                if (!(isAlnum(c) || c == '-' || c == '.')) {
                    throw error("'" + (char) c + "' in a section name");
                }
                name.append((char) c);
            }
        }

        private String subsection(String name) throws Unparseable {
            int c;
            while ((c = next()) == ' ' || c == '\t') {
                // blanks before the quote
            }
            if (c != '"') {
                throw error("a subsection that is not quoted");
            }
            StringBuilder sub = new StringBuilder();
            while (true) {
                c = next();
                if (c < 0 || c == '\n') {
                    throw error("an unterminated subsection");
                }
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    c = next();
                    if (c < 0 || c == '\n') {
                        throw error("an unterminated subsection");
                    }
                }
                sub.append((char) c);
            }
            if (next() != ']') {
                throw error("a section header not closed after its subsection");
            }
            return name + "." + sub;
        }

        private Entry entry(char first) throws Unparseable {
            StringBuilder key = new StringBuilder().append(first);
            while (isAlnum(peek()) || peek() == '-') {
                key.append((char) next());
            }
            String name = section + "." + key.toString().toLowerCase(Locale.ROOT);
            String original = section + "." + key;
            while (peek() == ' ' || peek() == '\t') {
                next();
            }
            int c = peek();
            if (c < 0 || c == '\n' || c == '\r' || c == '#' || c == ';') {
                return new Entry(name, original, null);
            }
            if (c != '=') {
                throw error("'" + (char) c + "' after the key " + key);
            }
            next();
            return new Entry(name, original, value());
        }

        /** git's parse_value: quotes, escapes, comments, continuation; trailing blanks outside quotes dropped. */
        private String value() throws Unparseable {
            StringBuilder value = new StringBuilder();
            boolean quoted = false;
            int keep = 0; // length without trailing blanks outside quotes
            boolean started = false;
            while (true) {
                int c = next();
                if (c < 0 || c == '\n') {
                    if (quoted) {
                        throw error("an unterminated quote");
                    }
                    value.setLength(keep);
                    return value.toString();
                }
                if (!quoted && (c == ';' || c == '#')) {
                    while (peek() >= 0 && peek() != '\n') {
                        next();
                    }
                    continue;
                }
                if (!quoted && (c == ' ' || c == '\t' || c == '\r')) {
                    if (started) {
                        value.append((char) c);
                    }
                    continue;
                }
                started = true;
                if (c == '\\') {
                    int e = next();
                    switch (e) {
                        case '\n' -> {
                            continue; // a continued line
                        }
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case 'b' -> value.append('\b');
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        default -> throw error("an unknown escape");
                    }
                    keep = value.length();
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                    keep = value.length();
                    continue;
                }
                value.append((char) c);
                keep = value.length();
            }
        }

        private static boolean isAlpha(int c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        }

        private static boolean isAlnum(int c) {
            return isAlpha(c) || c >= '0' && c <= '9';
        }
    }
}
