package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
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
 * <p>Round 19 of the red team found the same through what this did not read, so these are named
 * too: the targets of the symbolic links git follows in the git directory ({@code config},
 * {@code hooks}, each hook, {@code info/*}: F9), the global and system config and what it names,
 * and a {@code ~/.gitconfig} that links into a dotfiles checkout (F2, F10), an uninitialised
 * submodule's directory (F3); a planted FIFO or huge file is never read (F8).
 *
 * <p>Round 20: {@code init.templateDir} (git copies that directory — hooks, links, {@code config} —
 * into every repository {@code git init} or {@code git clone} makes: F1) is named like
 * {@code core.hooksPath}, its {@code config} read too; {@code ~user/} is that user's home directory,
 * as git expands it (F2). Every symbolic link on the way to a git directory a {@code gitdir:} or
 * {@code commondir} names is named itself, unstable (F8: the command re-pointed one); the config
 * the user's environment gives git ({@code GIT_TEMPLATE_DIR}, {@code GIT_CONFIG_COUNT},
 * {@code GIT_CONFIG_PARAMETERS}) is read as the global config is.
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
        return around(writePaths, entries, home, List.of());
    }

    /**
     * As {@link #around(List, List, Path)}, with the user's and the system's config files
     * ({@link #globalFiles}) read too: in every repository found, as git reads them there (their
     * relative paths against its working tree), and once on their own, for what they name wherever
     * no repository is found (an {@code includeIf} of {@code ~/work/.gitconfig-work}: red team,
     * round 19, F2). Each of them is named itself as well (one link followed: a
     * {@code ~/.gitconfig} that links into a dotfiles checkout, F10).
     */
    static List<Target> around(List<Path> writePaths, List<GitMetadata.Entry> entries, Path home, List<Path> global) {
        return around(writePaths, entries, home, global, java.util.Map.of());
    }

    /**
     * As {@link #around(List, List, Path, List)}, with the config the user's environment gives git
     * read too ({@link #environment}: {@code GIT_CONFIG_COUNT}, {@code GIT_CONFIG_PARAMETERS},
     * {@code GIT_TEMPLATE_DIR}), as the global config is.
     */
    static List<Target> around(List<Path> writePaths, List<GitMetadata.Entry> entries, Path home, List<Path> global,
                               java.util.Map<String, String> variables) {
        java.util.Map<Path, Path> repositories = new java.util.LinkedHashMap<>(); // git directory -> top
        List<Target> targets = new ArrayList<>(); // first: the links on the way to each git directory
        for (GitMetadata.Entry entry : entries) {
            Path path = entry.path();
            if (path.getFileName() != null && path.getFileName().toString().equals(".git")) {
                gitDirectoryOf(path, targets).ifPresent(git -> repositories.putIfAbsent(git, path.getParent()));
            } else if (GitMetadata.isGitDirectory(path)) {
                repositories.putIfAbsent(path, path); // bare: git runs its hooks there
            }
        }
        for (Path write : writePaths) {
            for (Path up = write; up != null; up = up.getParent()) {
                Path dotGit = up.resolve(".git");
                if (FileFacts.lstatKind(dotGit) != FileFacts.Kind.ABSENT) {
                    Path top = up;
                    gitDirectoryOf(dotGit, targets).ifPresent(git -> repositories.putIfAbsent(git, top));
                }
            }
        }
        Environment environment = Environment.of(variables);
        repositories.forEach((git, top) -> targets.addAll(targets(git, top, home, global, environment)));
        targets.addAll(global(global, home, environment));
        return targets;
    }

    /**
     * The config files git reads in every repository, whichever of them exist: {@code $GIT_CONFIG_GLOBAL},
     * {@code $XDG_CONFIG_HOME/git/config} ({@code ~/.config/git/config}), {@code ~/.gitconfig},
     * {@code $GIT_CONFIG_SYSTEM} and {@code /etc/gitconfig} — all of them, whatever this process's
     * {@code GIT_CONFIG_*} say: the user's own git may run with another environment. A relative
     * {@code XDG_CONFIG_HOME} git takes against the directory it runs in (red team, round 26, F3):
     * against {@code workingDirectory}, besides the home's default.
     */
    static List<Path> globalFiles(java.util.Map<String, String> variables, Path home, Path workingDirectory) {
        List<Path> files = new ArrayList<>();
        java.util.function.Consumer<String> add = value -> {
            if (value != null && value.startsWith("/")) {
                files.add(Path.of(value).normalize());
            } else if (value != null && !value.isEmpty() && !value.startsWith("~")) {
                files.add(workingDirectory.resolve(value).normalize()); // relative: where git runs (round 27, F5)
            }
        };
        add.accept(variables.get("GIT_CONFIG_GLOBAL"));
        String xdg = variables.get("XDG_CONFIG_HOME");
        files.add(xdg != null && xdg.startsWith("/") ? Path.of(xdg, "git", "config").normalize()
                : home.resolve(".config/git/config"));
        if (xdg != null && !xdg.isEmpty() && !xdg.startsWith("/")) {
            files.add(workingDirectory.resolve(xdg).resolve("git/config").normalize());
        }
        files.add(home.resolve(".gitconfig"));
        add.accept(variables.get("GIT_CONFIG_SYSTEM"));
        files.add(Path.of("/etc/gitconfig"));
        return List.copyOf(new LinkedHashSet<>(files));
    }

    /**
     * The global config files themselves (one link followed, so that the target of a
     * {@code ~/.gitconfig -> ~/dotfiles/gitconfig} is named as it is, not through the link the
     * command cannot re-point), and what they name, relative paths against {@code home}. A global
     * config this parser cannot read names what was found before the error, and itself: each
     * repository found reads it too and holds its whole working tree for it.
     */
    private static List<Target> global(List<Path> files, Path home, Environment environment) {
        List<Target> found = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        Set<Path> defaults = Set.of(home.resolve(".gitconfig"), home.resolve(".config/git/config"), Path.of("/etc/gitconfig"));
        for (Path file : files) {
            if (FileFacts.lstatKind(file) == FileFacts.Kind.ABSENT) {
                if (!defaults.contains(file) || !PathWalk.of(file, FileFacts.LSTAT).links().isEmpty()) {
                    // also a default one reached through a link ('~/.config/git -> /w/gitdir', absent: red team,
                    // round 40, F4): where it would be is named, through the link
                    // a place the environment gives (GIT_CONFIG_GLOBAL, XDG_CONFIG_HOME, a relative one in the working
                    // directory: round 26, F3): a command could create it, and the next host git would read it
                    found.add(target(file, false, "the git config " + file + ", which git reads once it exists"));
                }
                continue;
            }
            found.add(target(oneHop(file), true, "the global git config " + file));
            // each link on its way and each directory a '..' in a link's target walks back out of: re-pointed or
            // swapped, git would read another file (GIT_CONFIG_GLOBAL=/w/gc -> ../b/../../gitconfig)
            found.addAll(replaceableOnTheWay(file, "the global git config " + file));
            try {
                read(file, home, home, environment.variables(), 0, found, seen, true);
            } catch (Unparseable e) {
                // every repository around the write paths fails closed on it, and so does a write path in none: what
                // the rest names is not known (outside test RT29, F2: 'core.hooksPath = %(prefix)/../w/hooks' in
                // ~/.gitconfig left the hooks writable where the working directory was no repository)
                found.add(unknowable(e.getMessage()));
            }
        }
        try {
            name(environment.entries(), home, ENVIRONMENT, home, home, environment.variables(), 0, found, seen, true);
        } catch (Unparseable e) {
            found.add(unknowable(e.getMessage())); // as for a global config file
        }
        // the links in the hooks and template directories it names, for write paths in no repository
        Set<Path> hooks = new LinkedHashSet<>(hookDirectories(found));
        found.addAll(linksIn(hooks, null, null));
        found.addAll(hookInterpreters(hooks, null));
        return found;
    }

    /**
     * The directories whose links name what git runs: each {@code core.hooksPath}, and each
     * {@code init.templateDir} with its {@code hooks/} (git copies a template's links as links, so a
     * hook linked from there runs the link's target in every repository it makes).
     */
    private static List<Path> hookDirectories(List<Target> found) {
        List<Path> directories = new ArrayList<>();
        for (Target t : found) {
            String why = t.why().toLowerCase(Locale.ROOT);
            if (why.startsWith("named by core.hookspath ")) {
                directories.add(t.real());
            } else if (why.startsWith("named by init.templatedir ")) {
                directories.add(t.real());
                directories.add(realOf(t.real().resolve("hooks")));
            }
        }
        return directories;
    }

    /** Where a symbolic link points, made absolute against its directory; {@code path} itself when it is none. */
    private static Path oneHop(Path path) {
        if (FileFacts.lstatKind(path) != FileFacts.Kind.SYMLINK) {
            return path;
        }
        try {
            Path to = path.getParent().resolve(Files.readSymbolicLink(path));
            Path name = to.getFileName();
            if (!to.toString().contains("..") || name == null) {
                return to.normalize();
            }
            // a '..' after a name goes up from where that name leads when it is a link, which the text's normalizing
            // gets wrong (outside test RT26, F8: GIT_CONFIG_GLOBAL -> lnk/o/../../../proj/f, with lnk/o a link, was
            // taken for /tmp/proj/f, and the real global config was writable): the directories as the kernel walks them
            return PathWalk.of(to.getParent(), FileFacts.LSTAT).end().resolve(name).normalize();
        } catch (IOException | RuntimeException e) {
            return path;
        }
    }

    /**
     * The git directory a {@code .git} directory, link or {@code gitdir:} file stands for; into
     * {@code found}, every symbolic link on the way to it ({@link #replaceableOnTheWay}), and a
     * {@code gitdir:} that does not lead anywhere yet (a command could create it there).
     */
    private static Optional<Path> gitDirectoryOf(Path dotGit, List<Target> found) {
        try {
            if (Files.isDirectory(dotGit)) {
                found.addAll(replaceableOnTheWay(dotGit, "the git directory " + dotGit + " stands for"));
                return Optional.of(dotGit.toRealPath());
            }
            if (Files.isRegularFile(dotGit)) {
                for (String line : new String(readRegular(dotGit, MAX_BYTES), StandardCharsets.UTF_8).lines().toList()) {
                    if (line.startsWith("gitdir:")) {
                        // not normalized: the kernel takes a ".." after a link from the link's target
                        Path named = dotGit.getParent().resolve(line.substring("gitdir:".length()).strip());
                        String what = "the git directory that " + dotGit + " names";
                        found.addAll(replaceableOnTheWay(named, what));
                        try {
                            return Optional.of(named.toRealPath());
                        } catch (IOException e) {
                            Path missing = realOf(named);
                            if (!insideAGitDirectory(missing)) { // there it is git metadata, kept as such already
                                found.add(target(missing, true, what + ", which does not exist: a command could"
                                        + " create it, and git would read and run it"));
                            }
                            return Optional.empty();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // none git could use either
        }
        return Optional.empty();
    }

    /**
     * Whether the deepest existing directory on the way to {@code missing} is or lies in a git
     * directory ({@code .git}, or one git recognises by its contents): a submodule's
     * {@code gitdir: ../.git/modules/x} whose {@code x} is gone cannot be created by a command
     * (the git directory is read-only to it on both backends), so it does not withhold the tree.
     */
    private static boolean insideAGitDirectory(Path missing) {
        Path existing = missing;
        while (existing != null && FileFacts.lstatKind(existing) == FileFacts.Kind.ABSENT) {
            existing = existing.getParent();
        }
        for (Path up = existing; up != null; up = up.getParent()) {
            boolean named = up.getFileName() != null && up.getFileName().toString().equals(".git");
            if (named && FileFacts.lstatKind(up) == FileFacts.Kind.DIRECTORY || GitMetadata.isGitDirectory(up)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every entry on the way to {@code path} that a command could replace to change where it leads. Each
     * symbolic link the kernel passes through, as an unstable target of its own (the link itself, not what it
     * leads to): a {@code .git} file's {@code gitdir: ../gd-link/real.git} with {@code gd-link -> store} in the
     * writable tree: the real git directory was kept read-only, but the command re-pointed {@code gd-link} at a
     * git directory of its own with an fsmonitor, which the next {@code git status} ran (red team, round 20, F8).
     * A link cannot be kept read-only inside a writable directory (a mount over it would follow it), so a write
     * path that holds one is not made writable, as for a {@code .git} symlink. And each directory a {@code ..}
     * in a link's target walks back out of ({@code ~/.gitconfig -> dots/b/../../gitconfig}: {@code dots/b},
     * {@code dots}): a command that can write its parent could swap it for a link, and the {@code ..} would go up
     * from there. Its parent is named by itself, not whole: a write path in it cannot replace it, one that is or
     * holds its parent could.
     * Resolved component by component as the kernel does: a {@code ..} goes up from where the links so far lead;
     * a missing component ends nothing (the rest is walked lexically).
     */
    static List<Target> replaceableOnTheWay(Path path, String what) {
        // asked fresh (no plan's cache): a link is re-read each time git's files are
        PathWalk walk = PathWalk.of(path, FileFacts.LSTAT);
        // past the kernel's limit git cannot use the path either: the links up to there are named
        List<Target> out = new java.util.ArrayList<>();
        for (Path link : walk.links()) {
            out.add(new Target(link, link, true, false, false, "the symbolic link " + link + " on the way to " + what
                    + ", which the command could re-point"));
        }
        for (Path back : walk.walkedBack()) {
            // only a write path that is or holds its parent could replace it: the parent is named by itself
            out.add(target(back.getParent(), false, "the directory that holds " + back + ", which a '..' in a symbolic"
                    + " link's target on the way to " + what + " walks back out of: the command could swap it for a link"));
        }
        return List.copyOf(out);
    }

    /** Where the entries {@link #environment} reads are said to be, in the reasons of their targets. */
    private static final String ENVIRONMENT = "the user's environment";

    /** More {@code GIT_CONFIG_COUNT} entries than this are not read one by one: fail closed. */
    private static final int MAX_ENVIRONMENT_ENTRIES = 1_000;

    /**
     * The config the user's environment gives git, read as the global config is.
     *
     * @param entries what it sets
     * @param problem why git would refuse it (and so this: every repository's working tree is held),
     *                null when it would not
     */
    private record Environment(List<Entry> entries, String problem, java.util.Map<String, String> variables) {
        static final Environment NONE = new Environment(List.of(), null, java.util.Map.of());

        static Environment of(java.util.Map<String, String> variables) {
            try {
                return new Environment(environment(variables), null, variables);
            } catch (Unparseable e) {
                return new Environment(List.of(), e.getMessage(), variables);
            }
        }
    }

    /**
     * The config entries git takes from the environment of the user's own git, which aws-sandbox
     * sees as this host's environment (red team, round 20: not read before): {@code GIT_TEMPLATE_DIR}
     * (the template directory, before any {@code init.templateDir}: read as that key),
     * {@code GIT_CONFIG_COUNT} with {@code GIT_CONFIG_KEY_<n>}/{@code GIT_CONFIG_VALUE_<n>}, and
     * {@code GIT_CONFIG_PARAMETERS} (what {@code git -c} passes to the git commands it runs). An
     * include, {@code core.hooksPath} or fsmonitor set there runs as one in {@code ~/.gitconfig}
     * does. A value git would refuse ({@code GIT_CONFIG_COUNT} not a number, a key missing, a
     * malformed {@code GIT_CONFIG_PARAMETERS}) is {@link Unparseable}.
     */
    static List<Entry> environment(java.util.Map<String, String> variables) throws Unparseable {
        List<Entry> entries = new ArrayList<>();
        String template = variables.get("GIT_TEMPLATE_DIR");
        if (template != null && !template.isEmpty()) {
            entries.add(new Entry("init.templatedir", "init.templateDir (GIT_TEMPLATE_DIR)", template));
        }
        // the variables git prefers to (or falls back on for) command-valued keys: read as those keys
        // (red team, round 22, F4: a GIT_SSH_COMMAND script in a checkout was rewritable, core.sshCommand's was not)
        for (java.util.Map.Entry<String, String> twin : COMMAND_VARIABLES.entrySet()) {
            String value = variables.get(twin.getKey());
            if (value != null && !value.isBlank()) {
                entries.add(new Entry(twin.getValue(), twin.getValue() + " (" + twin.getKey() + ")", value));
            }
        }
        // red team, round 24, F17: the variables git prefers to the http.* file keys
        for (java.util.Map.Entry<String, String> twin : FILE_VARIABLES.entrySet()) {
            String value = variables.get(twin.getKey());
            if (value != null && !value.isBlank()) {
                entries.add(new Entry(twin.getValue(), twin.getValue() + " (" + twin.getKey() + ")", value));
            }
        }
        String exec = variables.get("GIT_EXEC_PATH");
        if (exec != null && exec.startsWith("/")) { // git runs its non-builtin git-* commands from there
            entries.add(new Entry("core.hookspath", "GIT_EXEC_PATH", exec));
        }
        String parameters = variables.get("GIT_CONFIG_PARAMETERS");
        if (parameters != null) {
            entries.addAll(parameters(parameters));
        }
        String count = variables.get("GIT_CONFIG_COUNT");
        if (count != null && !count.isEmpty()) {
            int n;
            try {
                n = Integer.parseInt(count.strip());
            } catch (NumberFormatException e) {
                throw new Unparseable("GIT_CONFIG_COUNT=" + count + " in " + ENVIRONMENT + " is not a number (git refuses it)");
            }
            if (n < 0 || n > MAX_ENVIRONMENT_ENTRIES) {
                throw new Unparseable("GIT_CONFIG_COUNT=" + count + " in " + ENVIRONMENT + " is not between 0 and "
                        + MAX_ENVIRONMENT_ENTRIES);
            }
            for (int i = 0; i < n; i++) {
                String key = variables.get("GIT_CONFIG_KEY_" + i);
                String value = variables.get("GIT_CONFIG_VALUE_" + i);
                if (key == null || value == null) {
                    throw new Unparseable("GIT_CONFIG_COUNT=" + count + " in " + ENVIRONMENT + " but GIT_CONFIG_"
                            + (key == null ? "KEY_" : "VALUE_") + i + " is not set (git refuses it)");
                }
                entries.add(environmentEntry(key, value, "GIT_CONFIG_KEY_" + i));
            }
        }
        return entries;
    }

    /** {@code key} (as {@code section.subsection.name}) canonical as git makes it: section and name lower-cased. */
    private static Entry environmentEntry(String key, String value, String variable) throws Unparseable {
        int first = key.indexOf('.');
        int last = key.lastIndexOf('.');
        if (first <= 0 || last == key.length() - 1) {
            throw new Unparseable("the git config key " + key + " in " + variable + " in " + ENVIRONMENT
                    + " has no section or name (git refuses it)");
        }
        String name = key.substring(0, first).toLowerCase(Locale.ROOT) + key.substring(first, last)
                + key.substring(last).toLowerCase(Locale.ROOT);
        return new Entry(name, key + " (" + variable + ")", value);
    }

    /**
     * {@code GIT_CONFIG_PARAMETERS}: shell-single-quoted words separated by blanks, each
     * {@code 'key'='value'}, {@code 'key'} (a boolean), or, as older git wrote them,
     * {@code 'key=value'}; inside a word {@code '\''} is a quote (git's {@code sq_dequote}).
     */
    static List<Entry> parameters(String text) throws Unparseable {
        List<Entry> entries = new ArrayList<>();
        int[] at = {0};
        while (true) {
            while (at[0] < text.length() && Character.isWhitespace(text.charAt(at[0]))) {
                at[0]++;
            }
            if (at[0] >= text.length()) {
                return entries;
            }
            String key = singleQuoted(text, at);
            String value = null;
            if (at[0] < text.length() && text.charAt(at[0]) == '=') {
                at[0]++;
                value = singleQuoted(text, at);
            } else if (key.contains("=")) { // the older form
                value = key.substring(key.indexOf('=') + 1);
                key = key.substring(0, key.indexOf('='));
            }
            if (at[0] < text.length() && !Character.isWhitespace(text.charAt(at[0]))) {
                throw new Unparseable("GIT_CONFIG_PARAMETERS in " + ENVIRONMENT + " is malformed (git refuses it)");
            }
            Entry entry = environmentEntry(key, value == null ? "" : value, "GIT_CONFIG_PARAMETERS");
            entries.add(value == null ? new Entry(entry.name(), entry.original(), null) : entry);
        }
    }

    private static String singleQuoted(String text, int[] at) throws Unparseable {
        if (at[0] >= text.length() || text.charAt(at[0]) != '\'') {
            throw new Unparseable("GIT_CONFIG_PARAMETERS in " + ENVIRONMENT + " is malformed (git refuses it)");
        }
        at[0]++;
        StringBuilder word = new StringBuilder();
        while (true) {
            if (at[0] >= text.length()) {
                throw new Unparseable("GIT_CONFIG_PARAMETERS in " + ENVIRONMENT + " has an unterminated quote");
            }
            char c = text.charAt(at[0]++);
            if (c != '\'') {
                word.append(c);
                continue;
            }
            // '\'' or '\!' inside a word: the quoted character, and the word goes on
            if (at[0] + 2 < text.length() && text.charAt(at[0]) == '\\'
                    && (text.charAt(at[0] + 1) == '\'' || text.charAt(at[0] + 1) == '!') && text.charAt(at[0] + 2) == '\'') {
                word.append(text.charAt(at[0] + 1));
                at[0] += 3;
                continue;
            }
            return word.toString();
        }
    }

    /**
     * The environment variables whose value git runs as a command-valued key's: each read as that key
     * (its words with a {@code /} protected; a bare first word is a program on PATH). {@code GIT_SSH}
     * names a program, not a command: its words are over-inclusive. {@code EDITOR}, {@code VISUAL} and
     * {@code PAGER} are git's fallbacks (and other programs' too).
     */
    private static final java.util.Map<String, String> COMMAND_VARIABLES = orderedMap(
            "GIT_SSH_COMMAND", "core.sshcommand", "GIT_SSH", "core.sshcommand", "GIT_ASKPASS", "core.askpass",
            "SSH_ASKPASS", "core.askpass", "GIT_EDITOR", "core.editor", "VISUAL", "core.editor", "EDITOR", "core.editor",
            "GIT_SEQUENCE_EDITOR", "sequence.editor", "GIT_PAGER", "core.pager", "PAGER", "core.pager",
            "GIT_EXTERNAL_DIFF", "diff.external", "GIT_PROXY_COMMAND", "core.gitproxy");

    private static final java.util.Map<String, String> FILE_VARIABLES = orderedMap(
            "GIT_SSL_CAINFO", "http.sslcainfo", "GIT_SSL_CAPATH", "http.sslcapath", "GIT_SSL_CERT", "http.sslcert",
            "GIT_SSL_KEY", "http.sslkey", "GIT_PROXY_SSL_CAINFO", "http.proxysslcainfo", "GIT_PROXY_SSL_CERT",
            "http.proxysslcert", "GIT_PROXY_SSL_KEY", "http.proxysslkey");

    private static java.util.Map<String, String> orderedMap(String... pairs) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
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
            "guitool.*.cmd", "instaweb.httpd", "uploadpack.packobjectshook",
            // red team, round 19, F4: git add -p, signing with ssh keys, git interpret-trailers, git archive, fetch
            "interactive.difffilter", "gpg.ssh.defaultkeycommand", "trailer.*.command", "trailer.*.cmd",
            "tar.*.command", "core.alternaterefscommand",
            // red team, round 20, F6: git imap-send runs it through the shell
            "imap.tunnel",
            // red team, round 33, F5: config-based hooks (git 2.36+) and git gui's editor
            "hook.*.command", "gui.editor",
            // red team, round 46, F6: git-lfs (run by git as filter.lfs) runs a custom transfer agent's program and an
            // extension's clean and smudge commands
            "lfs.*.path", "lfs.*.clean", "lfs.*.smudge",
            // red team, MCP round B, F4: an identity's header command (git send-email --identity), git svn's authors program
            "sendemail.*.headercmd", "svn.authorsprog");

    /**
     * Keys whose value is one directory (relative to the working tree) from which git runs code,
     * not a command: {@code core.hooksPath}, and {@code init.templateDir}, whose {@code hooks/} (and
     * everything else in it) git copies into every repository {@code git init} or {@code git clone}
     * makes — a rewritten template {@code post-checkout} runs at the next clone (red team, round
     * 20, F1). Both are containers: what lies inside counts too.
     */
    static final Set<String> PATH_KEYS = Set.of("core.hookspath", "init.templatedir",
            "instaweb.modulepath"); // round 46, F6: the httpd modules git instaweb loads

    /**
     * Every path the config of the repository whose git directory is {@code gitDirectory} names,
     * relative paths resolved against {@code top} (its working tree, or the git directory itself
     * when bare). Never throws: a config that cannot be read names {@code top} itself, unstable.
     */
    static List<Target> targets(Path gitDirectory, Path top, Path home) {
        return targets(gitDirectory, top, home, List.of());
    }

    /**
     * The working tree a repository's own config files name with {@code core.worktree} (the last one; a relative one
     * against the git directory, as git takes it), if they name one.
     */
    private static Optional<Path> movedTop(List<Path> repositoryFiles, Path gitDirectory, Path home) {
        String worktree = null;
        for (Path file : repositoryFiles) {
            try {
                for (Entry entry : parse(new String(readRegular(file, MAX_BYTES), StandardCharsets.UTF_8), file.toString())) {
                    if (entry.name().equals("core.worktree") && entry.value() != null && !entry.value().isEmpty()) {
                        worktree = entry.value();
                    }
                }
            } catch (IOException | Unparseable e) {
                // none, or named as unknown by the reading itself
            }
        }
        if (worktree == null) {
            return Optional.empty();
        }
        String value = worktree;
        return Optional.of(gitDirectory.resolve(expandHome(value, home).orElse(value)).normalize());
    }

    /** As {@link #targets(Path, Path, Path)}, the {@code global} config files read in it too. */
    static List<Target> targets(Path gitDirectory, Path top, Path home, List<Path> global) {
        return targets(gitDirectory, top, home, global, Environment.NONE);
    }

    /** As {@link #targets(Path, Path, Path, List)}, the config the user's environment gives git read too. */
    private static List<Target> targets(Path gitDirectory, Path top, Path home, List<Path> global,
                                        Environment environment) {
        List<Path> files = new ArrayList<>();
        List<Target> found = new ArrayList<>();
        Path common = commonDirectory(gitDirectory, found);
        files.add(common.resolve("config"));
        files.add(gitDirectory.resolve("config.worktree"));
        if (!common.equals(gitDirectory)) {
            files.add(common.resolve("config.worktree"));
        }
        files.addAll(global);
        // a git directory that is not this tree's own .git (a worktree's, a submodule's, a separate
        // one): git reads and runs it for this tree, wherever it lies
        for (Path dir : new LinkedHashSet<>(List.of(gitDirectory, common))) {
            if (!dir.equals(top.resolve(".git")) && !dir.equals(top)) {
                found.add(target(dir, true, "the git directory of " + top));
            }
        }
        Set<Path> seen = new LinkedHashSet<>();
        try {
            for (Path file : files) {
                read(file, top, home, environment.variables(), 0, found, seen, global.contains(file));
            }
            // a repository's core.worktree (in its config or config.worktree) moves the top where git runs its hooks and
            // commands: what the configs name relative to the top is named there too (outside test RT36, F21; RT37, F4:
            // 'core.hooksPath = hooks' ran <worktree>/hooks, and only <repository>/hooks was kept)
            Optional<Path> moved = movedTop(files.stream().filter(f -> !global.contains(f)).toList(), gitDirectory, home)
                    .filter(worktree -> !worktree.equals(top));
            if (moved.isPresent()) {
                Set<Path> again = new LinkedHashSet<>();
                for (Path file : files) {
                    read(file, moved.get(), home, environment.variables(), 0, found, again, global.contains(file));
                }
            }
            if (environment.problem() != null) {
                throw new Unparseable(environment.problem());
            }
            name(environment.entries(), top, ENVIRONMENT, top, home, environment.variables(), 0, found, seen, true);
        } catch (Unparseable e) {
            found.add(new Target(top, top, true, false, true, e.getMessage() + ": its whole working tree is treated"
                    + " as git metadata"));
        }
        found.addAll(links(gitDirectory, common, hookDirectories(found), top));
        if (!top.equals(gitDirectory)) {
            found.addAll(submodules(top));
        }
        return found;
    }

    /**
     * The submodules {@code .gitmodules} lists in the working tree {@code top}: an uninitialised
     * one's directory (no {@code .git} in it yet: every clone without {@code --recurse-submodules}),
     * where a command that creates {@code .git} with an fsmonitor gets it run by {@code git status}
     * in the enclosing repository (red team, round 19, F3); an initialised one's {@code .git} file,
     * wherever it lies below (the scan looks six levels down). A {@code .gitmodules} that cannot
     * be read names nothing but itself: git recurses into the gitlinks of the index, which is not read here. The file
     * itself is kept too.
     */
    private static List<Target> submodules(Path top) {
        Path file = top.resolve(".gitmodules");
        if (FileFacts.lstatKind(file) != FileFacts.Kind.REGULAR) {
            return List.of();
        }
        List<Target> found = new ArrayList<>();
        // the file itself: emptied by a command, it listed nothing at the next plan, and the uninitialised submodule's
        // directory was the command's to make a repository in (red team, round 45, F15)
        found.add(target(file, false, "the .gitmodules file of " + top + ", which says where git recurses into"
                + " submodules"));
        try {
            for (Entry entry : parse(new String(readRegular(file, MAX_BYTES), StandardCharsets.UTF_8), file.toString())) {
                if (!entry.name().startsWith("submodule.") || !entry.name().endsWith(".path") || entry.value() == null) {
                    continue;
                }
                Path path = top.resolve(entry.value()).normalize();
                if (!path.startsWith(top) || path.equals(top)) {
                    continue; // git refuses such a path
                }
                Path dotGit = path.resolve(".git");
                boolean initialised = FileFacts.lstatKind(dotGit) != FileFacts.Kind.ABSENT;
                found.add(target(initialised ? dotGit : path, true, (initialised ? "the submodule " : "the uninitialised"
                        + " submodule ") + entry.value() + " in " + file + ", into which git run in " + top + " recurses"));
            }
        } catch (IOException | Unparseable | RuntimeException e) {
            // git warns and skips it; the gitlinks of the index are not read here
        }
        return found;
    }

    private static final int MAX_LINKS_LISTED = 1_000;
    private static final Path DEV_NULL = Path.of("/dev/null");

    /**
     * The targets of the symbolic links in a git directory that git follows — {@code config},
     * {@code hooks} and every hook, {@code info/*} — and in the hooks directories the config
     * names: versioned hooks are commonly linked in ({@code .git/hooks/pre-commit ->
     * ../../scripts/pre-commit}, {@code .git/hooks -> ../.githooks}, {@code .git/config ->
     * ../shared.gitconfig}), and a command that can write the target plants what git runs (red
     * team, round 19, F9). Each target is named as the link points (one link followed), whether or
     * not it exists: git follows a dangling link to what a command creates there. Targets inside
     * the git directory are its own metadata already.
     */
    private static List<Target> links(Path gitDirectory, Path common, List<Path> hookDirectories, Path top) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path git : List.of(gitDirectory, common)) {
            dirs.add(git);
            dirs.add(realOf(git.resolve("hooks")));
            dirs.add(realOf(git.resolve("info")));
        }
        dirs.addAll(hookDirectories);
        List<Target> found = new ArrayList<>(linksIn(dirs, List.of(gitDirectory, common), top));
        Set<Path> hooks = new LinkedHashSet<>(hookDirectories);
        hooks.add(realOf(gitDirectory.resolve("hooks")));
        hooks.add(realOf(common.resolve("hooks")));
        found.addAll(hookInterpreters(hooks, top));
        return found;
    }

    /**
     * The {@code #!} interpreter of each hook in {@code dirs} that lies outside the system's directories: the kernel runs
     * it with the hook, so a hook kept read-only runs whatever a command writes there (outside test RT34, F6: under
     * bubblewrap, {@code .git/hooks/pre-commit} with {@code #!/w/tools/interp} ran a planted {@code interp}). A hook's
     * sample ({@code *.sample}) runs nothing.
     */
    private static List<Target> hookInterpreters(Set<Path> dirs, Path top) {
        List<Target> found = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (NativeDirectory.Entry entry : NativeDirectory.entries(dir, MAX_LINKS_LISTED).orElse(List.of())) {
                Path hook = dir.resolve(entry.name());
                if (entry.name().endsWith(".sample") || FileFacts.lstatKind(hook) != FileFacts.Kind.REGULAR) {
                    continue;
                }
                Optional<ExecutableChain.Shebang> line = FileFacts.shebangOf(hook); // once a plan
                if (line.isEmpty()) {
                    continue;
                }
                Path interpreter = line.get().interpreter();
                if (interpreter.getFileName() != null && interpreter.getFileName().toString().equals("env")) {
                    // '#!/usr/bin/env /w/tools/interp', 'env -S …': the program env runs (outside test RT35, F7); a bare
                    // name env finds on PATH is not followed here
                    interpreter = line.get().argument().stream().flatMap(a -> Stream.of(a.split("[ \t]+")))
                            .filter(w -> !w.startsWith("-") && !w.contains("=") && w.contains("/")).findFirst()
                            .map(Path::of).orElse(null);
                }
                if (interpreter == null) {
                    continue;
                }
                if (!interpreter.isAbsolute()) {
                    // the kernel resolves it where git runs the hook, the working tree's top
                    if (top == null) {
                        continue;
                    }
                    interpreter = top.resolve(interpreter).normalize();
                }
                Path run = interpreter;
                if (!SystemReadPaths.contains(run)
                        && Stream.of("/usr/", "/bin/", "/sbin/", "/lib", "/etc/").noneMatch(run.toString()::startsWith)) {
                    found.add(target(run, false, "the #! interpreter of the hook " + hook + ", which git runs"));
                }
            }
        }
        return found;
    }

    /**
     * The targets of the symbolic links in {@code dirs} (one hop), except those inside one of
     * {@code skip} (a git directory: metadata already; null for none). A directory with too many
     * entries to list holds {@code top} (null: the directory itself) unstably: fail closed.
     */
    private static List<Target> linksIn(Set<Path> dirs, List<Path> skip, Path top) {
        List<Target> found = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<NativeDirectory.Entry> entries = NativeDirectory.entries(dir, MAX_LINKS_LISTED).orElse(List.of());
            if (entries.size() >= MAX_LINKS_LISTED) { // fail closed: a link past the first thousand is not seen
                Path held = top != null ? top : dir;
                found.add(new Target(held, held, true, false, true, dir + " holds more than " + MAX_LINKS_LISTED
                        + " entries, too many to follow its links: " + (top != null ? "its whole working tree"
                        : "it") + " is treated as git metadata"));
                continue;
            }
            for (NativeDirectory.Entry entry : entries) {
                Path link = dir.resolve(entry.name());
                if (FileFacts.lstatKind(link) != FileFacts.Kind.SYMLINK) {
                    continue;
                }
                Path to = oneHop(link);
                if (skip != null && skip.stream().anyMatch(to::startsWith)) {
                    continue;
                }
                found.add(target(to, true, "the symbolic link " + link + ", which git follows"));
            }
        }
        return found;
    }

    /**
     * A worktree's main git directory, as its {@code commondir} names it (the git directory itself
     * when none); into {@code found}, the symbolic links on the way to it, as for a {@code gitdir:}
     * (red team, round 20, F8: the common directory holds the config and hooks git runs).
     */
    private static Path commonDirectory(Path gitDirectory, List<Target> found) {
        Path file = gitDirectory.resolve("commondir");
        if (FileFacts.lstatKind(file) == FileFacts.Kind.REGULAR) {
            try {
                Path named = gitDirectory.resolve(new String(readRegular(file, MAX_BYTES), StandardCharsets.UTF_8).strip());
                found.addAll(replaceableOnTheWay(named, "the common git directory that " + file + " names"));
                return named.toRealPath();
            } catch (IOException | RuntimeException e) {
                return gitDirectory;
            }
        }
        return gitDirectory;
    }

    /**
     * Reads one config file and what it includes. {@code global}: the user's or the system's
     * config (or one it includes), whose commands are the user's own and run in every repository —
     * there the first word of a command, without a {@code /}, is a program the shell looks up on
     * {@code PATH}, not a path in the working tree ({@code core.editor = code --wait} must not make
     * every repository's {@code code/} read-only).
     */
    private static void read(Path file, Path top, Path home, java.util.Map<String, String> variables, int depth,
                             List<Target> found, Set<Path> seen,
                             boolean global) throws Unparseable {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new Unparseable("the git config " + file + " is included more than " + MAX_INCLUDE_DEPTH + " levels deep");
        }
        if (seen.size() >= MAX_FILES) {
            throw new Unparseable("the git config of " + top + " includes more than " + MAX_FILES + " files");
        }
        if (file.equals(DEV_NULL)) {
            return; // GIT_CONFIG_GLOBAL=/dev/null, common in CI: empty, and no regular file
        }
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                return; // git skips it too; the target itself was recorded by the include
            }
            bytes = readRegular(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return; // none: git reads none either (a missing include target was recorded by the include)
        } catch (IOException e) {
            throw new Unparseable("the git config " + file + " cannot be read (" + e.getMessage() + ")");
        }
        Path key = file.toAbsolutePath().normalize();
        if (!seen.add(key)) {
            return; // an include cycle: git stops at its depth limit; nothing new is named
        }
        name(parse(new String(bytes, StandardCharsets.UTF_8), file.toString()), file.toAbsolutePath().getParent(),
                file.toString(), top, home, variables, depth, found, seen, global);
    }

    /**
     * What the entries of one config source name: a file's ({@code source} its path, relative
     * includes against {@code includeBase}, its directory) or the environment's
     * ({@link #ENVIRONMENT}; git refuses a relative include there, which is taken against
     * {@code top}: over-inclusive).
     */
    private static void name(List<Entry> entries, Path includeBase, String source, Path top, Path home,
                             java.util.Map<String, String> variables, int depth,
                             List<Target> found, Set<Path> seen, boolean global) throws Unparseable {
        String where = " in " + source;
        String by = "named by ";
        // a remote with a section but no URL has its name as its URL ('[remote "origin"] prune = true'): where git runs
        // in a repository that gives it none, 'git push origin' reaches the directory ./origin (red team, round 42, F4)
        Set<String> sections = new LinkedHashSet<>();
        for (Entry entry : entries) {
            String n = entry.name();
            if (n.startsWith("remote.") && n.lastIndexOf('.') > "remote.".length()) {
                sections.add(n.substring("remote.".length(), n.lastIndexOf('.')));
            }
        }
        for (String remote : sections) {
            if (!REMOTE_NAME.matcher(remote).matches()) {
                continue;
            }
            for (Path place : whereGitRuns(top, home, variables)) {
                remotesAt(place, home, variables).filter(remotes -> !remotes.contains(remote))
                        .ifPresent(remotes -> repositoryAt(place.resolve(remote).normalize(), by + "[remote \"" + remote
                                + "\"]" + where + " (a remote without a URL: git takes its name as a directory, whose hooks"
                                + " run)", found));
            }
        }
        for (Entry entry : entries) {
            String name = entry.name();
            if (entry.value() == null) {
                continue; // a boolean: names nothing
            }
            if (name.equals("include.path") || name.startsWith("includeif.") && name.endsWith(".path")) {
                Path target = includeBase.resolve(expandPath(entry, home, source)).normalize();
                found.add(target(target, true, by + entry.original() + where));
                walkBack(includeBase.resolve(expandPath(entry, home, source)), by + entry.original() + where, found);
                read(target, top, home, variables, depth + 1, found, seen, global);
            } else if (PATH_KEYS.contains(name)) {
                Path path = top.resolve(expandPath(entry, home, source)).normalize();
                found.add(target(path, true, by + entry.original() + where));
                walkBack(top.resolve(expandPath(entry, home, source)), by + entry.original() + where, found);
                // a relative init.templateDir is taken where git init or clone runs (round 30, F4)
                List<Path> places = whereGitRuns(top, home, variables);
                for (Path place : places.subList(1, places.size())) {
                    found.add(target(place.resolve(expandPath(entry, home, source)).normalize(), true,
                            by + entry.original() + where + " (relative: where git runs)"));
                    // and the directories its '..' walks back out of there (red team, round 35, F5)
                    walkBack(place.resolve(expandPath(entry, home, source)), by + entry.original() + where
                            + " (relative: where git runs)", found);
                }
                if (name.equals("init.templatedir")) {
                    // git copies the template's config too: every repository it makes runs what that names
                    read(path.resolve("config"), top, home, variables, depth + 1, found, seen, true);
                }
            } else if (name.startsWith("remote.") && name.endsWith(".vcs") && (entry.value().strip().equalsIgnoreCase("ext")
                    || entry.value().indexOf('/') >= 0)) {
                // 'vcs = ext' runs the remote's URL as a command through git-remote-ext (red team, round 33, F3);
                // 'vcs = /../x.sh' runs git-remote-/../x.sh where git runs (round 34, F5)
                found.add(unknowable(by + entry.original() + where + ", which makes git"
                        + " run the remote's URL as a command: what it runs cannot be known here"));
            } else if (isFileKey(name) && !entry.value().isBlank()) { // an empty value resets the key: no file
                // red team, round 24, F17: a CA git trusts, a client certificate or key, a cookie file git sends
                Path path = top.resolve(expandPath(entry, home, source)).normalize();
                found.add(target(path, name.endsWith(".sslcapath"), by + entry.original() + where));
                walkBack(top.resolve(expandPath(entry, home, source)), by + entry.original() + where, found);
                // curl opens a relative one where git runs (red team, round 39, N2: 'sslCAInfo = ca.pem' in the global
                // config trusted a CA the command planted in the working directory)
                List<Path> places = whereGitRuns(top, home, variables);
                for (Path place : places.subList(1, places.size())) {
                    found.add(target(place.resolve(expandPath(entry, home, source)).normalize(), name.endsWith(".sslcapath"),
                            by + entry.original() + where + " (relative: where git runs)"));
                }
            } else if (isCommandKey(name) || isSubmoduleUpdateCommand(name, entry.value()) || extCommand(entry) != null) {
                String command = extCommand(entry) != null ? extCommand(entry) : entry.value();
                // a plain alias's words are git's arguments, not the shell's: revisions and refspecs are no paths
                boolean gitArguments = name.startsWith("alias.") && !command.startsWith("!");
                if (command.startsWith("!")) {
                    // git runs the rest with the shell: an alias, a credential helper (round 26, F2: '!cd' is no cd)
                    command = command.substring(1);
                }
                // read as the shell reads it and over-inclusively (round 24, F14, F1, F2: CommandWords); a plain alias
                // as the git command it is ('ci = -c core.hooksPath=h commit': git's own options read as git's, red
                // team, round 39, F14)
                CommandWords.Reading reading = CommandWords.of(command, variables, home, top);
                if (runWithoutAShell(name) && (command.startsWith("~") || command.indexOf('$') >= 0)) {
                    // git starts it as one program's path, without a shell, which expands neither '~' nor a variable:
                    // 'gpg.program = ~/bin/gpgw' runs ./~/bin/gpgw where git runs (outside test RT32, F13)
                    for (Path place : whereGitRuns(top, home, variables)) {
                        found.add(target(place.resolve(command).normalize(), false, by + entry.original() + where
                                + " (git expands neither ~ nor variables in it: a path where git runs)"));
                    }
                }
                if (gitArguments) {
                    reading = withGitsOwn(reading, CommandWords.of("git " + command, variables, home, top));
                    List<String> own = GitConfig.words(command);
                    for (int k = 1; k < own.size(); k++) {
                        String w = own.get(k);
                        if ((w.indexOf('*') >= 0 || w.indexOf('?') >= 0 || w.indexOf('[') >= 0) && !gitRevision(w, own, k)) {
                            // 'bk = t *' with 't = !f() { tar czf b.tgz $@; }; f', in this file or any other, directly
                            // or through more plain aliases: a shell alias may expand the pattern into names a command
                            // chose, such as an option (red team, round 41, F3; round 42, F1-F3). Any pattern that is
                            // no refspec fails closed
                            found.add(unknowable(by + entry.original() + where + ", which hands " + own.getFirst()
                                    + " the pattern " + w + ", which an alias that runs the shell may expand into file"
                                    + " names a command chose"));
                            break;
                        }
                    }
                }
                for (String unknown : reading.unknown()) {
                    // what it runs cannot be known: no write path is made writable (as NamedFiles names "/")
                    found.add(unknowable(by + entry.original() + where + ", which runs"
                            + " a path that cannot be known here: " + unknown));
                }
                List<String> words = reading.words();
                List<Path> runsIn = whereGitRuns(top, home, variables);
                if (command.contains("PWD")) {
                    // $PWD is where git runs, not the top it is read against here (red team, round 35, F2: a global
                    // alias '!sh $PWD/x.sh' ran the working directory's x.sh): read again there
                    for (Path place : runsIn.subList(1, runsIn.size())) {
                        CommandWords.Reading there = CommandWords.of(command, variables, home, place);
                        for (String unknown : there.unknown()) {
                            found.add(unknowable(by + entry.original() + where
                                    + ", which runs a path that cannot be known here: " + unknown));
                        }
                        for (String word : there.words()) {
                            if (word.startsWith("/")) {
                                found.add(target(Path.of(word).normalize(), false, by + entry.original() + where
                                        + " ($PWD: where git runs)"));
                                if (word.contains("..")) {
                                    walkBack(Path.of(word), by + entry.original() + where, found);
                                }
                            }
                        }
                    }
                }
                for (int i = 0; i < words.size(); i++) {
                    if (global && i == 0 && !words.get(i).contains("/")) {
                        continue; // a program on PATH
                    }
                    String word = words.get(i);
                    if (word.regionMatches(true, 0, "file://", 0, "file://".length())) {
                        // 'push file://localhost/srv/bk.git': a repository here, whose hooks git runs (round 39, F11)
                        localRepository(word, top, home).ifPresent(path -> repositoryAt(path, by + entry.original() + where
                                + " (a repository on this machine, whose hooks git runs)", found));
                        continue;
                    }
                    if (URI_OR_ARN.matcher(word).lookingAt()) {
                        continue;
                    }
                    if (gitArguments && (gitRevision(word, words, i) || words.stream().anyMatch(w -> !w.equals(word)
                            && words(w).contains(word) && gitRevision(w, words, words.indexOf(w))))) {
                        // 'lg = log origin/main..HEAD', 'fr = fetch origin +refs/heads/*:refs/remotes/o/*', and the
                        // over-inclusive pieces of one ('origin/x@' of 'origin/x@{1}')
                        continue;
                    }
                    if (!gitArguments && reading.revisions().contains(word)) {
                        // '!git fetch && git rebase origin/main': a revision of a git command in the string, nowhere
                        // else a word (red team, round 44, F11)
                        continue;
                    }
                    // the repositories of its git commands, read command by command ('!git fetch && git rebase x'
                    // took 'rebase' for fetch's: red team, round 44, F11; 'push --recurse-submodules check bk' took
                    // only 'check': round 45, L1)
                    if (reading.repositories().contains(word) && REMOTE_NAME.matcher(word).matches()) {
                        // 'push mirror HEAD': no remote of that name where git runs, and git pushes to the directory
                        // 'mirror', whose hooks it runs (red team, round 39, F8): named whole, where it runs
                        for (Path place : runsIn) {
                            remotesAt(place, home, variables).filter(remotes -> !remotes.contains(word))
                                    .ifPresent(remotes -> repositoryAt(place.resolve(word).normalize(), by
                                            + entry.original() + where + " (the repository it pushes to or fetches from:"
                                            + " no remote " + word + " is configured there, so git takes it as a directory,"
                                            + " whose hooks run)", found));
                        }
                    }
                    pathOf(word, top, home).ifPresent(path -> found.add(target(path, false, by + entry.original() + where)));
                    if (word.contains("..") && word.indexOf('$') < 0) {
                        String expanded = expandHome(word, home).orElse(word);
                        for (Path base : runsIn) {
                            walkBack(base.resolve(expanded), by + entry.original() + where, found);
                        }
                    }
                    if (word.indexOf('/') > 0 && !word.startsWith("~") && !word.startsWith("-") && word.indexOf('$') < 0
                            && word.indexOf('%') < 0) {
                        // '!./run.sh', diff.external=./ext.sh: a relative path runs where git runs (red team, round 32, F1)
                        for (Path dir : runsIn) {
                            runsFrom(word.startsWith(".") ? word : "./" + word, false, dir, home,
                                    by + entry.original() + where, found);
                        }
                    }
                }
                // red team, round 26, F1: 'sh x.sh' runs x.sh at the top of the work tree (an alias) or where git runs,
                // whether or not it exists yet; a glob names its directory, whole
                for (String script : reading.scripts()) {
                    for (Path dir : runsIn) {
                        runsFrom("./" + script, false, dir, home, by + entry.original() + where + " (a script it runs)",
                                found);
                    }
                }
                for (String config : reading.configs()) {
                    // core.sshCommand = ssh -F ~/.ssh/work: that config's ProxyCommand runs too (round 28, F1)
                    String w = expandHome(config, home).orElse(config);
                    if (w.indexOf('$') >= 0) {
                        found.add(unknowable(by + entry.original() + where
                                + ", which gives ssh a config that cannot be known here: " + config));
                        continue;
                    }
                    Path file = w.startsWith("/") ? Path.of(w) : top.resolve(w);
                    // the file itself is named as a word or a script above; ssh runs its commands where git runs
                    found.addAll(NamedFiles.sshConfigTargets(file.normalize(), home, variables, runsIn.getLast()));
                }
                for (String directory : reading.directories()) {
                    boolean relative = !directory.startsWith("/") && !directory.startsWith("~");
                    for (Path dir : runsIn) {
                        if (relative && dir.equals(home)) {
                            continue; // a global config outside a repository: the whole home would hold every project
                        }
                        runsFrom(relative ? "./" + directory : directory, true, dir, home,
                                by + entry.original() + where + " (a directory whose files it runs)", found);
                    }
                }
            } else if (localRepositoryKey(name)) {
                // a remote that is a directory here ('url = /srv/bk.git', 'file://localhost/…', a relative path) or the
                // local base an insteadOf rewrites to: git runs that repository's hooks on push and fetch, and one a
                // command creates there is its own (red team, round 39, F11, F12). Named whole where git runs. A
                // branch's remote, push remote and the default push remote are a remote's name or such a repository
                // ('git push -u ../backup.git main' writes branch.main.remote = ../backup.git: round 40, F2)
                String url = name.startsWith("url.") ? name.substring("url.".length(), name.lastIndexOf('.')) : entry.value();
                boolean remoteOrPath = !name.startsWith("url.") && !name.endsWith("url");
                for (Path place : whereGitRuns(top, home, variables)) {
                    if (remoteOrPath && (url.strip().equals(".")
                            || remotesAt(place, home, variables).orElse(Set.of()).contains(url.strip()))) {
                        continue; // a configured remote's name, or '.': this repository (a branch tracking a local one)
                    }
                    localRepository(url, place, home).ifPresent(path -> repositoryAt(path, by + entry.original()
                            + where + " (a repository on this machine, whose hooks git runs on push and fetch)", found));
                }
            }
        }
    }

    /**
     * A plain alias's reading with what the same words read as a git command add ({@code -c core.hooksPath=h}, {@code
     * grep -O<pager>}): their scripts, directories, configs and unknowns, and the words of the commands their options
     * give ({@code ./open.sh}) after the alias's own, which keep their order (a word after {@code rebase -x} is
     * found there).
     */
    private static CommandWords.Reading withGitsOwn(CommandWords.Reading plain, CommandWords.Reading asGit) {
        java.util.function.BiFunction<List<String>, List<String>, List<String>> union = (a, b) ->
                List.copyOf(new LinkedHashSet<>(java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        List<String> words = union.apply(plain.words(), asGit.words().stream().filter(w -> !w.equals("git")).toList());
        // git splits a plain alias itself: no pathname expansion ('+refs/heads/*:refs/remotes/o/*' is a refspec)
        List<String> unknown = union.apply(plain.unknown(), asGit.unknown()).stream()
                .filter(u -> !u.startsWith(CommandWords.PATHNAME_EXPANSION)).toList();
        return new CommandWords.Reading(words, union.apply(plain.scripts(), asGit.scripts()),
                union.apply(plain.arguments(), asGit.arguments()), union.apply(plain.directories(), asGit.directories()),
                union.apply(plain.configs(), asGit.configs()), unknown, union.apply(plain.keys(), asGit.keys()),
                plain.revisions().stream().filter(asGit.revisions()::contains).toList(),
                union.apply(plain.repositories(), asGit.repositories()));
    }

    /**
     * A remote's URL ({@code remote.*.url}, {@code pushurl}), an {@code insteadOf} section, whose base is the key, or a
     * remote's name or repository ({@code branch.*.remote}, {@code branch.*.pushRemote}, {@code remote.pushDefault}).
     */
    static boolean localRepositoryKey(String name) {
        return name.startsWith("remote.") && (name.endsWith(".url") || name.endsWith(".pushurl"))
                || name.startsWith("url.") && (name.endsWith(".insteadof") || name.endsWith(".pushinsteadof"))
                || name.startsWith("branch.") && (name.endsWith(".remote") || name.endsWith(".pushremote"))
                || name.equals("remote.pushdefault");
    }

    /**
     * A local repository git may reach at {@code path}, named whole: {@code path} and {@code path.git}, since git takes
     * the first of {@code P/.git}, {@code P}, {@code P.git/.git}, {@code P.git} that is a repository ({@code url =
     * backup} with a plain directory {@code backup} pushed to a {@code backup.git} the command made: red team, round
     * 41, F7).
     */
    private static void repositoryAt(Path path, String why, List<Target> found) {
        found.add(target(path, true, why));
        if (path.getFileName() != null && !path.getFileName().toString().endsWith(".git")) {
            found.add(target(path.resolveSibling(path.getFileName() + ".git"), true, why + " (git also tries its name"
                    + " with .git)"));
        }
    }

    /**
     * Where {@code url} is a repository on this machine, as git takes it: a {@code file://} URL on no host or
     * {@code localhost}, or a path (absolute, {@code ~/…}, or relative to {@code base}); empty for another scheme or
     * an scp-like {@code host:path} (a {@code :} before any {@code /}).
     */
    static Optional<Path> localRepository(String url, Path base, Path home) {
        String path = url.strip();
        if (path.isEmpty() || path.indexOf('$') >= 0) {
            return Optional.empty();
        }
        if (path.regionMatches(true, 0, "file://", 0, "file://".length())) {
            path = path.substring("file://".length());
            if (!path.startsWith("/") && path.indexOf('/') > 0) {
                // git takes file://ANYHOST/abs as /abs, not only localhost (red team, round 45, F1: file://nas/…)
                path = path.substring(path.indexOf('/'));
            }
            // git decodes %XX in a URL ('file:///w/my%20dir/b.git', '%2f'): red team, round 40, F9
            path = percentDecoded(path);
            return path.startsWith("/") && path.indexOf('\0') < 0 ? Optional.of(Path.of(path).normalize()) : Optional.empty();
        }
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        if (path.contains("://") || colon >= 0 && (slash < 0 || colon < slash)) {
            return Optional.empty(); // https://…, ssh://…, git@host:repo, ext::… (read as a command)
        }
        // '~root/../../w/bk.git': git expands ~user too (red team, round 44, F1); a user /etc/passwd does not list
        // names everything (fail closed)
        Optional<String> expanded = expandHome(path, home);
        return Optional.of(expanded.isEmpty() ? Path.of("/") : base.resolve(expanded.get()).normalize());
    }

    /**
     * The bytes of a git file (a config, a {@code .git} file, {@code commondir}), as git reads it
     * (a link followed), only when it is a regular file of at most {@code max} bytes: a FIFO planted
     * as a nested repository's {@code .git/config} blocked every later plan, and a 1 GiB sparse
     * {@code .git} file ended one with an {@code OutOfMemoryError} (red team, round 19, F8). The
     * type is checked before the open: a FIFO put there between the two by a command running at
     * that moment would still block the open. Read once in a plan ({@link FileFacts#readOnce}): the AWS, git and
     * shells' files are read by several of its readers.
     */
    static byte[] readRegular(Path file, int max) throws IOException {
        return FileFacts.readOnce(file, max, GitConfig::readRegularNow);
    }

    private static byte[] readRegularNow(Path file, int max) throws IOException {
        java.nio.file.attribute.BasicFileAttributes attributes =
                Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException("it is not a regular file");
        }
        if (isKernelFile(file)) {
            throw new IOException("it is a kernel file (/proc, /sys), whose read can block");
        }
        if (attributes.size() > max) {
            throw new IOException("it is larger than " + max + " bytes");
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException("it is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Whether {@code file} is, or links to, a file of the kernel's filesystems: a regular file there can block a read
     * for ever ({@code /proc/kmsg}: a plan of an oh-my-zsh home as root waited on it, red team, round 72, F11) or be
     * endless.
     */
    static boolean isKernelFile(Path file) {
        // resolved once in the running plan (a start-up file read at each of a plan's readings of the files had been
        // resolved again each time, a readlink for every component)
        Optional<Path> real = FileFacts.realPath(file);
        // not /dev: its regular files are a tmpfs's (/dev/shm: a config there is read), its devices no regular files
        return real.isPresent() && (real.get().startsWith("/proc") || real.get().startsWith("/sys"));
    }

    /**
     * Keys git starts as a program's path without a shell ({@code gpg.program}, {@code core.askPass}; {@code
     * core.gitProxy} and {@code gpg.ssh.defaultKeyCommand}: outside test RT34, F3).
     */
    private static boolean runWithoutAShell(String name) {
        return name.equals("gpg.program") || name.equals("core.askpass") || name.equals("core.gitproxy")
                || name.equals("gpg.ssh.defaultkeycommand") || name.startsWith("gpg.") && name.endsWith(".program");
    }

    static boolean isCommandKey(String name) {
        for (String pattern : COMMAND_KEYS) {
            if (pattern.equals(name)) {
                return true;
            }
            // compared in place: every plan asks this of every key of every config it reads
            int star = pattern.indexOf(".*.");
            if (star >= 0) {
                int section = star + 1; // 'filter.' of 'filter.*.clean'
                int variable = pattern.length() - (star + 2); // '.clean'
                if (name.length() > section + variable && name.regionMatches(0, pattern, 0, section)
                        && name.regionMatches(name.length() - variable, pattern, star + 2, variable)) {
                    return true;
                }
            } else if (pattern.endsWith(".*") && name.regionMatches(0, pattern, 0, pattern.length() - 1)) {
                return true;
            }
        }
        return false;
    }

    private static final Path ROOT = Path.of("/");

    /**
     * Keys that name a file git trusts or sends (red team, round 24, F17), in {@code http} and
     * {@code http.<url>}: a CA bundle or directory (a CA of the command's own: later fetches into
     * checkouts are its to forge), a client certificate and key, a cookie file.
     */
    private static final Set<String> FILE_KEYS = Set.of("sslcainfo", "sslcapath", "proxysslcainfo", "sslcert", "sslkey",
            "proxysslcert", "proxysslkey", "cookiefile");

    /**
     * git's trust stores for ssh signatures (red team, round RT15, F4): the allowed signers file {@code git log
     * --show-signature}, {@code verify-commit} and {@code verify-tag} check a signature against (a command added its own
     * key, and git then reported a good signature of the user's for a commit the command signed), and the revocation
     * file beside it. Kept read-only as {@code http.sslCAInfo}'s file, a relative one where git runs too.
     */
    private static final Set<String> TRUST_FILE_KEYS = Set.of("gpg.ssh.allowedsignersfile", "gpg.ssh.revocationfile");

    static boolean isFileKey(String name) {
        return name.startsWith("http.") && FILE_KEYS.contains(name.substring(name.lastIndexOf('.') + 1))
                || TRUST_FILE_KEYS.contains(name);
    }

    /**
     * The command of git's {@code ext::} transport (red team, round 24, F17: git runs it with
     * {@code protocol.ext.allow}): a {@code remote.*.url} or {@code pushurl} starting with
     * {@code ext::}, or a {@code url.ext::….insteadOf} section; null for anything else. git's
     * {@code %} escapes ({@code %S}, {@code % }) are left in: the over-inclusive split names more.
     */
    private static String extCommand(Entry entry) {
        String name = entry.name();
        if (name.startsWith("remote.") && (name.endsWith(".url") || name.endsWith(".pushurl"))
                && entry.value().startsWith("ext::")) {
            return entry.value().substring("ext::".length());
        }
        if (name.startsWith("url.ext::") && (name.endsWith(".insteadof") || name.endsWith(".pushinsteadof"))) {
            return name.substring("url.ext::".length(), name.lastIndexOf('.'));
        }
        return null;
    }

    /**
     * A URI ({@code https://…}, {@code file://…}, {@code op://…}) or an ARN: a word with a {@code /} that names no
     * local file a program runs (false positives found checking real configurations: {@code !open https://…},
     * {@code --role arn:aws:iam::…:role/Dev} made the working directory read-only).
     */
    static final java.util.regex.Pattern URI_OR_ARN = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/|arn:");

    /**
     * Whether {@code words.get(i)}, a word of a plain alias (git's arguments, no shell), is a revision or a refspec
     * rather than a path (false positives found checking real configurations; session of 2026-12-03): a range
     * ({@code origin/main..HEAD}, {@code origin/main...}: refs on both sides of {@code ..} or {@code ...}, one may be
     * empty), a reflog or upstream ({@code origin/x@{1}}), and in {@code fetch}, {@code push} or {@code pull} a
     * refspec ({@code +refs/heads/*:refs/remotes/origin/*}, {@code HEAD:refs/for/main}). Never the value of an option
     * that runs a command ({@code rebase -x}, {@code difftool -x}), nor in an alias that runs one of its arguments
     * ({@code bisect run}, {@code submodule foreach}, {@code filter-branch}, {@code difftool}, {@code mergetool}).
     */
    static boolean gitRevision(String word, List<String> words, int i) {
        for (int k = 1; k < words.size(); k++) {
            // wherever the word stands (a command option's value is also read as a command, whose words come first)
            if (words.get(k).equals(word) && Set.of("-x", "--exec", "--extcmd", "-u", "--upload-pack", "--receive-pack",
                    "-t", "--tool").contains(words.get(k - 1))) {
                return false;
            }
        }
        if (words.stream().anyMatch(Set.of("bisect", "submodule", "filter-branch", "difftool", "mergetool")::contains)
                || repositoryArgument(words, i)) {
            return false;
        }
        // only where git's own subcommand takes the word, which no alias can shadow: 'bk = t *..*' hands a shell alias
        // 't' a pattern it expands (red team, round 43, F3)
        String subcommand = gitSubcommand(words);
        if (!REVISION_SUBCOMMANDS.contains(subcommand)) {
            return false;
        }
        int dots = word.indexOf("..");
        if (dots >= 0) {
            String before = word.substring(0, dots);
            String after = word.substring(word.startsWith("...", dots) ? dots + 3 : dots + 2);
            return !(before + after).isEmpty() && (before.isEmpty() || GIT_REF.matcher(before).matches())
                    && (after.isEmpty() || GIT_REF.matcher(after).matches());
        }
        if (word.contains("@{")) {
            return GIT_REF.matcher(word).matches();
        }
        int colon = word.indexOf(':');
        String source = colon < 0 ? word : word.substring(word.startsWith("+") ? 1 : 0, Math.max(colon, 1));
        return colon >= 0 && Set.of("fetch", "push", "pull").contains(subcommand)
                && (source.isEmpty() || GIT_REF.matcher(source).matches())
                && (colon == word.length() - 1 || GIT_REF.matcher(word.substring(colon + 1)).matches());
    }

    /**
     * git's built-in subcommands that take revisions or refspecs: git runs a built-in before any alias of its name, so
     * none of them can be a shell alias.
     */
    private static final Set<String> REVISION_SUBCOMMANDS = Set.of("log", "show", "diff", "rev-list", "rev-parse",
            "shortlog", "cherry-pick", "revert", "rebase", "merge", "merge-base", "range-diff", "format-patch", "cherry",
            "describe", "reset", "checkout", "switch", "branch", "tag", "whatchanged", "name-rev", "for-each-ref",
            "ls-tree", "blame", "grep", "diff-tree", "fetch", "push", "pull", "reflog", "notes", "worktree");

    /** A plain alias's subcommand: its first word after git's own options (and their values); "" when none. */
    private static String gitSubcommand(List<String> words) {
        int k = gitSubcommandIndex(words, 0, words.size(), i -> false);
        return k < words.size() ? words.get(k) : "";
    }

    /**
     * The index of git's subcommand among {@code words[from, to)}, git's own words: the first after its options (and
     * the values of those that take one) that {@code skip} does not pass over (a redirection's target); {@code to}
     * when none.
     */
    static int gitSubcommandIndex(List<String> words, int from, int to, java.util.function.IntPredicate skip) {
        for (int k = from; k < to; k++) {
            String w = words.get(k);
            if (skip.test(k)) {
                continue;
            }
            if (Set.of("-c", "-C", "--config-env").contains(w) || ScriptScan.GIT_PLACES.contains(w)
                    || ScriptScan.GIT_VALUE_OPTIONS.contains(w)) {
                k++;
            } else if (!w.startsWith("-")) {
                return k;
            }
        }
        return to;
    }

    /**
     * Whether {@code words.get(i)} is the first operand of {@code fetch}, {@code push} or {@code pull}: the repository,
     * which may be a local path whose hooks run ({@code push refs/heads/main:refs/heads/main} pushes to that
     * directory: red team, round 36, F5), never a refspec.
     */
    private static boolean repositoryArgument(List<String> words, int i) {
        for (int s = 0; s < i; s++) {
            if (Set.of("fetch", "push", "pull").contains(words.get(s))) {
                // an option first may take the next word as its value ('push -o ci.skip X': X is the repository;
                // red team, round 37, F4): then no operand is known to be a refspec
                return s + 1 < words.size() && words.get(s + 1).startsWith("-") || s + 1 == i;
            }
        }
        return false;
    }

    /** {@code text} with each {@code %XX} decoded to its byte, as UTF-8 (git's URL decoding); {@code +} stays. */
    static String percentDecoded(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A word git may take as a remote's name: no {@code /}, {@code :}, {@code $}, not an option, {@code .} or {@code ..}. */
    private static final Pattern REMOTE_NAME = Pattern.compile("(?!\\.\\.?$)[^-/:$%~][^/:$%]*");

    /** Options of fetch, push and pull whose value is the next word. */
    static final Set<String> TRANSPORT_VALUE_OPTIONS = Set.of("-o", "--push-option", "--receive-pack", "--exec",
            "--upload-pack", "--repo", "--depth", "--deepen", "--shallow-since", "--shallow-exclude", "-j", "--jobs",
            "--server-option", "--negotiation-tip", "--refmap", "--strategy", "-s", "-X", "--strategy-option");
    // not --signed, -S, --gpg-sign: their value is only glued ('push --signed bk.git --all' pushes to bk.git: red team,
    // round 44, F3)

    /**
     * The remotes configured for the repository git runs in at {@code place} ({@code remote.NAME.url} in its config, a worktree's common config, or a global config); empty when {@code place} is in
     * no repository (git pushes nowhere there). A config that cannot be read configures none, so every name is
     * then taken as a directory (fail closed).
     */
    private static Optional<Set<String>> remotesAt(Path place, Path home, java.util.Map<String, String> variables) {
        Optional<GitMetadata.Found> found = GitMetadata.repositoryAround(place);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.get().gitDirectory().isEmpty()) {
            return Optional.of(Set.of()); // a worktree's or submodule's .git file not understood: no remote (fail closed)
        }
        List<Path> configs = found.get().configs();
        configs.addAll(globalFiles(variables, home, place));
        Set<String> remotes = new LinkedHashSet<>();
        for (Path config : configs) {
            if (!Files.isRegularFile(config)) {
                continue;
            }
            try {
                for (Entry e : parse(new String(readRegular(config, MAX_BYTES), StandardCharsets.UTF_8), config.toString())) {
                    // only a remote with a URL: one with a section but none ('[remote "origin"] prune = true') has its
                    // name as its URL, a directory where git runs (red team, round 41, F1)
                    if (e.name().startsWith("remote.") && e.name().endsWith(".url") && e.value() != null
                            && !e.value().isBlank()) {
                        remotes.add(e.name().substring("remote.".length(), e.name().lastIndexOf('.')));
                    }
                }
            } catch (IOException | Unparseable | RuntimeException e) {
                return Optional.of(Set.of());
            }
        }
        return Optional.of(remotes);
    }

    /**
     * A ref as git's {@code check-ref-format} allows it, with revision suffixes ({@code ~2}, {@code ^}, {@code @{u}})
     * and a refspec's {@code *}: no {@code ..}, {@code //}, blank, {@code :}, {@code \}, {@code =}; not starting
     * with {@code -}, {@code /} or {@code .}; not ending with {@code /} or {@code .}.
     */
    private static final Pattern GIT_REF = Pattern.compile("(?![-/.])(?!.*\\.\\.)(?!.*//)[A-Za-z0-9_@{}+~^*/.-]*[A-Za-z0-9_@{}+~^*-]");

    /** Names, whole, the directories a {@code ..} in {@code raw} walks back out of (red team, round 34, F1). */
    private static void walkBack(Path raw, String why, List<Target> found) {
        for (Path back : walkedBack(raw)) {
            found.add(target(back, true, why + " (a directory a '..' in " + raw + " walks back out of: the command"
                    + " could swap it for a link)"));
        }
    }

    /**
     * The directories a {@code ..} in {@code raw} walks back out of ({@code w/X/../../f}: {@code w/X} and
     * {@code w}). The textual reading names {@code f}; the kernel's goes up from wherever {@code X} leads, and
     * a command that can write {@code w} can replace {@code X} with a link first (red team, round 33, F1): so
     * each is named, whole, and a write path that holds one is not made writable.
     */
    static List<Path> walkedBack(Path raw) {
        List<Path> out = new java.util.ArrayList<>();
        java.util.Deque<Path> kept = new java.util.ArrayDeque<>();
        Path at = raw.getRoot() == null ? Path.of("") : raw.getRoot();
        for (Path part : raw) {
            String p = part.toString();
            if (p.equals("..")) {
                if (!kept.isEmpty()) {
                    out.add(at);
                    at = kept.pop();
                }
            } else if (!p.equals(".")) {
                kept.push(at);
                at = at.resolve(p);
            }
        }
        return out;
    }

    /** What cannot be known here: {@code /}, whole, so that no write path is made writable (as NamedFiles names "/"). */
    private static Target unknowable(String why) {
        return new Target(ROOT, ROOT, true, false, true, why);
    }

    /** {@code submodule.NAME.update = !command}: {@code git submodule update} runs it (red team, round 19, F4). */
    private static boolean isSubmoduleUpdateCommand(String name, String value) {
        return name.startsWith("submodule.") && name.endsWith(".update") && value.strip().startsWith("!");
    }

    /**
     * A path-valued key's value as git's {@code interpolate_path} expands it: {@code ~} and
     * {@code ~/…} against {@code home}, {@code ~user} and {@code ~user/…} against that user's home
     * directory (red team, round 20, F2: {@code include.path = ~root/dotfiles/gitconfig.local} was
     * taken as a relative path, and the include target stayed writable). git refuses a config
     * whose {@code ~user} it cannot expand; so does this (fail closed: the working tree of every
     * repository reading it is held).
     */
    private static String expandPath(Entry entry, Path home, String file) throws Unparseable {
        if (entry.value().startsWith(OPTIONAL_PREFIX)) {
            // git 2.52 and later read the path after it; earlier ones the whole value as a relative path (a directory
            // named ':(optional)' where git runs): which git reads it is not known here, so neither is where it leads
            // (RT29's note: the include had been taken for a relative name; RT30, F1: the path after it alone, and a
            // git 2.39 ran a hook planted under ':(optional)/' in the working tree)
            throw new Unparseable("the git config " + file + " names " + entry.value() + " in " + entry.original()
                    + ", which git before 2.52 reads as a relative path and later ones as the path after ':(optional)'");
        }
        if (entry.value().startsWith(RUNTIME_PREFIX)) {
            // git puts its own installation's prefix there (/usr, /usr/local, …): where it leads is not known here
            // (red team, round 45k, F6: sslKey = %(prefix)/../w/key; an include.path the same way)
            throw new Unparseable("the git config " + file + " names " + entry.value() + " in " + entry.original()
                    + ", a path under git's own installation prefix, which is not known here");
        }
        Optional<String> expanded = expandHome(entry.value(), home);
        if (expanded.isEmpty()) {
            throw new Unparseable("the git config " + file + " names " + entry.value() + " in " + entry.original()
                    + ", a user's home directory that /etc/passwd does not list (git cannot expand it either)");
        }
        return expanded.get();
    }

    /** How a git path value starts when git 2.52 and later may skip it where it is missing; earlier ones read it as text. */
    static final String OPTIONAL_PREFIX = ":(optional)";

    /** How a git path value starts when it lies under git's runtime prefix ({@code %(prefix)/etc/gitconfig.d/x}). */
    static final String RUNTIME_PREFIX = "%(prefix)/";

    /**
     * {@code value} with a leading {@code ~} or {@code ~user} (up to the first {@code /}) replaced
     * by the home directory, as git expands a path and the shell a word; {@code value} itself when
     * it starts with neither. Empty when {@code user} is not in {@code /etc/passwd} (or its home is
     * not absolute): git then fails, the shell leaves the word as it is.
     */
    static Optional<String> expandHome(String value, Path home) {
        if (!value.startsWith("~")) {
            return Optional.of(value);
        }
        int slash = value.indexOf('/');
        String user = slash < 0 ? value.substring(1) : value.substring(1, slash);
        String rest = slash < 0 ? "" : value.substring(slash);
        if (user.isEmpty()) {
            return Optional.of(home + rest);
        }
        return homeOf(user).map(dir -> dir + rest);
    }

    /**
     * The home directory {@code /etc/passwd} gives {@code user}. Only that file is read (no NSS): a
     * user known only to LDAP or sssd counts as unknown, so a path through it fails closed.
     */
    static Optional<String> homeOf(String user) {
        try {
            for (String line : new String(readRegular(PASSWD, MAX_BYTES), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 7 && fields[0].equals(user) && fields[5].startsWith("/")) {
                    return Optional.of(fields[5].length() > 1 && fields[5].endsWith("/")
                            ? fields[5].substring(0, fields[5].length() - 1) : fields[5]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the user is unknown
        }
        return Optional.empty();
    }

    private static final Path PASSWD = Path.of("/etc/passwd");

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
     * Where git runs what a config names, relative words taken there: the top of the work tree; for a
     * global config read outside a repository ({@code top} is the home), also the directory git is
     * started in — an alias, {@code git init}, {@code git clone} and ssh run there —, which the planner
     * gives as {@code $PWD} ({@link #runningIn}). The last is the likeliest.
     */
    private static List<Path> whereGitRuns(Path top, Path home, java.util.Map<String, String> variables) {
        String pwd = variables.get("PWD");
        if (top.equals(home) && pwd != null && pwd.startsWith("/") && !Path.of(pwd).equals(home)) {
            return List.of(top, Path.of(pwd));
        }
        return List.of(top);
    }

    /** {@code variables} with {@code $PWD} the plan's working directory: where a later git most likely starts. */
    static java.util.Map<String, String> runningIn(java.util.Map<String, String> variables, Path workingDirectory) {
        java.util.Map<String, String> withPwd = new java.util.HashMap<>(variables);
        withPwd.put("PWD", workingDirectory.toString());
        return withPwd;
    }

    /** {@code word} (relative against {@code top}) as code that runs; up to its first glob character, whole. */
    private static void runsFrom(String word, boolean container, Path top, Path home, String why, List<Target> found) {
        int glob = -1;
        for (int i = 0; i < word.length() && glob < 0; i++) {
            glob = "*?[".indexOf(word.charAt(i)) >= 0 ? i : -1;
        }
        String fixed = glob < 0 ? word : word.substring(0, Math.max(1, word.lastIndexOf('/', glob)));
        boolean whole = container || glob >= 0;
        pathOf(fixed, top, home)
                .filter(path -> found.stream().noneMatch(t -> t.lexical().equals(path) && t.container() == whole))
                .ifPresent(path -> found.add(target(path, whole, why))); // an existing script was named as a word
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
        String expanded = expandHome(word, home).orElse(word); // an unknown ~user: the shell keeps the word
        if (expanded.contains("/")) {
            return Optional.of(top.resolve(expanded).normalize());
        }
        Path candidate = top.resolve(expanded).normalize();
        FileFacts.Kind kind = FileFacts.lstatKind(candidate);
        return kind == FileFacts.Kind.ABSENT ? Optional.empty() : Optional.of(candidate);
    }

    /** The target {@code lexical} (absolute, normalized) makes. */
    static Target target(Path lexical, boolean container, String why) {
        if (lexical.toString().indexOf('\uFFFD') >= 0) {
            // read from a config's text, where bytes that are not valid UTF-8 became U+FFFD: another name than the one git
            // opens, so neither it nor where its links lead could be kept (outside test RT26, F3: a core.hooksPath named
            // through a link h\xff into the working directory was writable)
            return unknowable(why + " names " + NativePath.shown(lexical) + ", a name with bytes that are not valid UTF-8"
                    + " (read as U+FFFD) or with U+FFFD itself, which cannot be followed by name: what it names is unknown");
        }
        Path real = realOf(lexical);
        boolean exists = FileFacts.lstatKind(lexical) != FileFacts.Kind.ABSENT;
        return new Target(lexical, real, exists, exists && real.equals(lexical), container, why);
    }

    /**
     * Where {@code path} leads, as the kernel walks it ({@link PathWalk}): through every symbolic link, a dangling one
     * too — where a file created through it would be (red team, round 40, F4: {@code include.path = /h/lk/inc} with
     * {@code inc -> /w/inc.cfg} absent named the link, and the command created {@code /w/inc.cfg}); past the kernel's
     * limit on links, the path itself.
     */
    private static Path realOf(Path path) {
        PathWalk walk = PathWalk.of(path, FileFacts.LSTAT);
        return walk.tooManyLinks() ? path : walk.end().normalize();
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
