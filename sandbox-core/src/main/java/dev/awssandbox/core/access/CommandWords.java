package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *   working directory, as a relative word is). What cannot be known — a variable the environment
 *   does not set, one the command sets itself ({@code x=…}, {@code read x}, {@code HOME=…}), a
 *   positional parameter ({@code set --}), a {@code ${…}} with an operator, a command substitution
 *   ({@code $(…)}, backticks), {@code $'…'} — is {@link Reading#unknown()} when it stands where a
 *   path is decided: before a {@code /} in its word, or as a word in command position. So are a
 *   relative path after a {@code cd}, bash's {@code ~+}, {@code ~-} and brace expansion (ssh runs
 *   its commands with the user's shell), {@code ~} after the command sets {@code HOME}, and a script
 *   nested deeper than {@value #MAX_DEPTH} levels (red team, round 25). The caller fails closed.</li>
 *   <li><b>F2</b>: an absolute (or {@code ~/}) tail glued to an option or after {@code =},
 *   {@code :} or {@code ,} ({@code -I/dir}, {@code -S/path}, {@code --x=/y}, {@code a:/b}) is a
 *   word of its own.</li>
 * </ul>
 *
 * <p>Which words run, by the rules of the programs that take them (interpreters, {@code find},
 * git's own options, code-loading variables), is {@link ScriptScan}'s.
 */
final class CommandWords {
    /** How deep a word that is itself a script ({@code sh -c '…'}) is read again. */
    static final int MAX_DEPTH = 4;

    /**
     * What a command names.
     *
     * @param words       its words (quotes taken off, variables expanded) and their glued tails, in order,
     *                    the first word of the command first; {@code ~} is left for the caller to expand
     * @param scripts     its relative words that an interpreter runs or a shell sources ({@code sh x.sh},
     *                    {@code python3 tools/c.py}, {@code . ./env}, {@code cat x.sh | sh}; red team, round 26,
     *                    F1): code wherever they lie, whether or not they exist yet
     * @param arguments   its other relative words without a {@code /} that are no option and no command's name:
     *                    a file only where one exists ({@code --profile default} names no file)
     * @param directories directories whose files it runs: the start points of a {@code find -exec sh {}}, and
     *                    {@code .} where it loads code from its working directory ({@code python3 -c}, {@code -m},
     *                    {@code node -e}, {@code make}, {@code npx}: {@link Interpreters})
     * @param configs     the configs given to ssh ({@code ssh -F cfg}) as written: read as ssh configs by the caller
     *                      (round 28, F1: the {@code ProxyCommand} of {@code core.sshCommand = ssh -F ~/.ssh/work} ran
     *                      a planted script)
     * @param unknown     why what it runs cannot be known (empty when it can)
     * @param keys        the secret files it hands a program, as written: {@code ssh -i KEY}, {@code -o IdentityFile=KEY},
     *                    a credential store's {@code --file} (red team, round 44, F12-F14): withheld by the caller
     * @param revisions   its words that stand only where git takes a revision or a path it does not run: an operand of
     *                    {@code git log}, {@code rebase}, {@code diff} and the like ({@code origin/main},
     *                    {@code main..HEAD}), never a command's name or another program's word
     * @param repositories the words git's {@code fetch}, {@code push} or {@code pull} may take as the repository: the
     *                    first operand, or every operand after an option (which may take it as its value), and
     *                    {@code --repo}'s value, command by command
     */
    record Reading(List<String> words, List<String> scripts, List<String> arguments, List<String> directories,
                   List<String> configs, List<String> unknown, List<String> keys, List<String> revisions,
                   List<String> repositories) {}

    private final Map<String, String> variables;
    private final Path home;
    private final Path workingDirectory;
    private final Set<String> words = new LinkedHashSet<>();
    private final Set<String> arguments = new LinkedHashSet<>();
    private final Set<String> asRevision = new LinkedHashSet<>(); // words seen as git's revisions (see revisions)
    private final Set<String> elsewhere = new java.util.HashSet<>(); // words seen anywhere else in a split
    private final Set<String> repositories = new LinkedHashSet<>(); // see Reading#repositories
    // what runs, by the programs' own rules; a git config entry's command is read as a command string
    private final ScriptScan code = new ScriptScan(this::value, command -> read(command, 1));
    private String assigned = ""; // the whole command: where it sets its own variables
    private boolean computes; // whether the whole command computes a value (COMPUTES), found once
    private boolean setsPositionals; // whether it sets the positional parameters (SETS_POSITIONALS), found once
    private boolean computedMatters; // while expanding an argument of a program whose options may run code
    // words that name no file: program text given to sed or awk (ProgramText), a name pattern, a word echo only prints
    private final List<String> programs = new ArrayList<>();

    private CommandWords(Map<String, String> variables, Path home, Path workingDirectory) {
        this.variables = variables;
        this.home = home;
        this.workingDirectory = workingDirectory;
    }

    /** {@code command} read with {@code variables} (the environment; {@code HOME} defaults to {@code home}). */
    static Reading of(String command, Map<String, String> variables, Path home, Path workingDirectory) {
        // a config's commands are read in every plan, some twice (the planner's git targets, the named keys): a reading
        // is kept for the same inputs (ReadingMemo); '~user' reads the password file, so a command with one is not
        if (command.length() > MEMO_MOST_CHARS || ShellStartupText.namesAUserHome(command)) {
            return read(command, variables, home, workingDirectory);
        }
        Memo key;
        try {
            key = new Memo(command, Map.copyOf(variables), home, workingDirectory);
        } catch (NullPointerException e) { // a map with a null: read as it is
            return read(command, variables, home, workingDirectory);
        }
        Reading known = MEMO.get(key);
        if (known == null) {
            known = read(command, variables, home, workingDirectory);
            MEMO.put(key, known);
        }
        return known;
    }

    private record Memo(String command, Map<String, String> variables, Path home, Path workingDirectory) {}

    private static final int MEMO_MOST_CHARS = 16 * 1024;
    private static final ReadingMemo<Memo, Reading> MEMO = new ReadingMemo<>(256);

    private static Reading read(String command, Map<String, String> variables, Path home, Path workingDirectory) {
        CommandWords reader = new CommandWords(variables, home, workingDirectory);
        reader.assigned = command;
        reader.computes = COMPUTES.matcher(command).find();
        reader.setsPositionals = SETS_POSITIONALS.matcher(command).find();
        reader.read(command, 0);
        List<String> loose = new ArrayList<>(GitConfig.words(command));
        for (String program : reader.programs) {
            for (String piece : GitConfig.words(program)) {
                loose.remove(piece); // the pieces of sed's or awk's program text: no words of the string either
            }
        }
        for (String word : loose) { // over-inclusive: every piece between blanks, quotes, operators
            reader.add(reader.expand(word, false, 0));
        }
        // a directory whose files run is taken as written (find $X -exec {}, run-parts "$d"): its variables expanded
        // here, and one that cannot be known fails closed (session of 2026-12-03: x=$(…) no longer does, at the '=')
        List<String> directories = reader.code.directories.stream()
                .map(d -> d.indexOf('$') >= 0 || d.indexOf('`') >= 0 ? reader.expand(d, true, 0) : d).toList();
        reader.code.directories.clear();
        reader.code.directories.addAll(directories);
        if (EVALUATES.matcher(command).find() && COMPUTES.matcher(command).find()) {
            // bash evaluates a variable's value in arithmetic, an array index, a substring offset, ${!x} and ${x@P}:
            // a value read from a file ('a[$(touch x)]') runs there (red team, round 38, F1)
            reader.code.unknown.add("a value the command computes (read, for, $(…)) that bash may evaluate as code"
                    + " (arithmetic, an array index, ${!x}, ${x@P})");
        }
        if (writesAwsConfig(command)) {
            // 'aws configure set ca_bundle ca.pem' (also import, add-model, sso): the value lands in the config the host's
            // aws reads later, where a relative file or a command is the command's to write (red team, round 42, F8);
            // found in the text and, quoted or split apart ('configure "set"'), in the words (round 43, F4)
            reader.code.unknown.add("aws configure, which writes the AWS config the host's aws reads later");
        }
        if (OPTION_PROCESS_SUBSTITUTION.matcher(command).find()) {
            // 'awk -f <(grep -v x p.awk)', 'sed -f <(…)', 'ssh -F <(…)': the option's value is a file the inner
            // command writes, which the program reads as its script or config (red team, round 39, F9)
            reader.code.unknown.add("a process substitution given as an option's value (awk -f <(…), ssh -F <(…)), which"
                    + " the program may read as code");
        }
        if (reader.code.readsStandardInput) {
            // 'cat x.sh | sh', 'sh -s < x.sh': the files the other commands read are what runs
            reader.code.scripts.addAll(reader.arguments);
        }
        if (reader.code.changesDirectory) {
            // round 25, F3: 'cd /tmp/x && sh proj/c.sh' runs /tmp/x/proj/c.sh, not a path below the home or the
            // working directory, where relative words are taken; $PWD was expanded to the working directory too.
            // Round 26, F2: so does 'cd "$GIT_PREFIX" && sh x.sh', and 'env -C sub sh x.sh' (any relative script)
            java.util.stream.Stream.of(
                            reader.words.stream().filter(w -> !w.startsWith("-") && w.indexOf('/') >= 0),
                            reader.code.scripts.stream(), reader.code.directories.stream())
                    .flatMap(w -> w)
                    .filter(w -> !w.startsWith("/") && !w.startsWith("~"))
                    .findFirst()
                    .or(() -> command.contains("PWD") ? Optional.of("$PWD") : Optional.empty())
                    .ifPresent(w -> reader.code.unknown.add("the word " + w + " after the command changes its directory"
                            + " (cd, env -C, find -execdir)"));
        }
        return new Reading(List.copyOf(reader.words), List.copyOf(reader.code.scripts), List.copyOf(reader.arguments),
                List.copyOf(reader.code.directories), List.copyOf(reader.code.configs), List.copyOf(reader.code.unknown),
                List.copyOf(reader.code.keys),
                reader.asRevision.stream().filter(w -> !reader.elsewhere.contains(w)).toList(),
                List.copyOf(reader.repositories));
    }

    /**
     * Whether word {@code i} of {@code split} is a literal pattern that file names are matched against: the value of
     * an option that takes one ({@code --glob P}, {@code --exclude=P}, {@code find -name P}; {@code -g P} and {@code -E P}
     * of rg, fd and ag only, where other programs' {@code -g} is a flag before a path).
     */
    private static boolean namePattern(List<Word> split, int i) {
        Word word = split.get(i);
        if (!word.literal() || word.redirectionTarget()) {
            return false;
        }
        if (NAME_PATTERN_GLUED.matcher(word.text()).lookingAt()) {
            return true;
        }
        if (i == 0 || split.get(i - 1).command() != word.command() || split.get(i - 1).commandPosition()) {
            return false;
        }
        String option = split.get(i - 1).text();
        if (NAME_PATTERN_OPTIONS.contains(option)) {
            return true;
        }
        if (!option.equals("-g") && !option.equals("-E")) {
            return false;
        }
        for (int p = i - 1; p >= 0 && split.get(p).command() == word.command(); p--) {
            if (split.get(p).commandPosition()) {
                return Set.of("rg", "fd", "fdfind", "ag").contains(ScriptScan.nameOf(split.get(p).text()));
            }
        }
        return false;
    }

    /**
     * Whether word {@code i} is an operand of echo, printf or zsh's print with no substitution in it, that is no option
     * and no variable's value alone.
     */
    private static boolean onlyPrinted(List<Word> split, int i) {
        Word word = split.get(i);
        // (not a word that is a variable's value alone, which may be an option: 'printf $x' with x '-v PATH')
        if (word.commandPosition() || word.redirectionTarget() || word.text().contains("$(") || word.text().indexOf('`') >= 0
                || word.text().startsWith("$") || word.text().startsWith("-")) {
            return false;
        }
        for (int p = i - 1; p >= 0 && split.get(p).command() == word.command(); p--) {
            if (split.get(p).commandPosition()) {
                return Set.of("echo", "printf", "print").contains(split.get(p).text());
            }
        }
        return false;
    }

    /** Options whose value is a pattern names are matched against, in any program. */
    private static final Set<String> NAME_PATTERN_OPTIONS = Set.of("--glob", "--iglob", "--exclude", "--include",
            "--exclude-dir", "--include-dir", "--ignore", "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename",
            "-regex", "-iregex", "-lname", "-ilname");
    /** The same options with their value glued by {@code =}. */
    private static final Pattern NAME_PATTERN_GLUED = Pattern.compile("--(?:glob|iglob|exclude|include|exclude-dir|include-dir"
            + "|ignore)=");

    /** A word as given (no shell in between: botocore's shlex words) and its glued tails, unexpanded. */
    static List<String> withTails(String word) {
        List<String> out = new ArrayList<>();
        out.add(word);
        out.addAll(tails(word));
        return out;
    }

    private void read(String command, int depth) {
        List<Word> split = split(command);
        noteRevisions(split);
        boolean[] runs = code.scriptPositions(split);
        boolean[] program = ProgramText.positions(split, code.unknown);
        boolean[] anyWords = ScriptScan.takesAnyWords(split);
        for (int i = 0; i < split.size(); i++) {
            Word word = split.get(i);
            String text = word.text();
            if (program[i]) {
                programs.add(text); // sed's or awk's program: no path, no command (ProgramText)
                continue;
            }
            if (depth == 0 && command.indexOf('|') < 0 && command.indexOf('>') < 0 && onlyPrinted(split, i)) {
                // a word echo or printf only prints ('echo -ne "\033]0;$USER: $PWD\007"', a terminal title in
                // PROMPT_COMMAND): no file (outside test RT60, M2); where a pipe, a file or a substitution may take it to
                // a shell ('echo ./x | sh', "echo '. x' > f; . f", 'eval "$(echo ./x)"': RT61, H1), read as before
                programs.add(text);
                continue;
            }
            if (namePattern(split, i)) {
                // a pattern a program matches names against ('rg --files --glob "!.git/*"', 'find -path "*/x"'): no
                // file; read as one, fzf's common FZF_DEFAULT_COMMAND had kept every working directory read-only
                // (outside test RT58, FP1)
                programs.add(text);
                continue;
            }
            if (word.commandPosition() && NAME_CHANGES.contains(text)) {
                // 'alias r=sh; eval "r x.sh"': a word in command position no longer says what runs (red team, round
                // 35, F4); bash's 'hash -p ./x.sh git', 'enable -f lib.so name' do the same
                code.unknown.add(text + ", which changes what a command's name runs");
            }
            if (word.commandPosition() && DIRECTORY_CHANGES.contains(text)) {
                code.changesDirectory = true; // relative words after it are not where they are read here: see of()
            }
            noteShellOnly(text);
            // a script's name decides a path as a command's name does: what cannot be known there fails closed
            boolean assignment = word.commandPosition() && plainAssignment(split, i); // no command's name
            // a variable the string computes ($(…), read, for) as an argument: the words it gives may be options that
            // run code (ssh "$host" with host '-oProxyCommand=./x.sh': red team, round 36, F2), unless the program
            // takes any words harmlessly (echo, grep, git branch)
            computedMatters = !assignment && !anyWords[i];
            if (computedMatters && !word.commandPosition() && !word.literal() && GLOB.matcher(text).find()) {
                // 'tar czf b.tgz *': the file names a pathname expansion gives are the command's to choose, and a file
                // named '--checkpoint-action=exec=sh x.sh' is an option (red team, round 40, F1); also after '--',
                // which need not end the options of what finally gets them ('sh -c … -- *', 'f -- *': round 41, F6)
                code.unknown.add(PATHNAME_EXPANSION + text + " (file names a command may create, such as"
                        + " '--checkpoint-action=exec=…') as an argument of a program whose options may run code");
            }
            if (text.contains("{}") && SCRIPT_CHARACTERS.matcher(text).find() && replacesNames(split, i)) {
                // 'find . -exec sh -c "gzip -k {}" \;', 'xargs -I{} sh -c "… {}"': a file name, which a command may
                // choose ('a$(sh p.sh).log'), spliced into a command string (red team, round 40, F6)
                code.unknown.add("a file name spliced into a command string ({} in " + text + ")");
            }
            String expanded = expand(text, word.commandPosition() && !assignment || runs[i], depth);
            computedMatters = false;
            add(expanded);
            code.codeVariable(expanded);
            boolean relative = !expanded.isEmpty() && !expanded.startsWith("/") && !expanded.startsWith("~");
            if (runs[i] && relative) {
                code.scripts.add(expanded);
            } else if (relative && !word.commandPosition() && !expanded.startsWith("-") && expanded.indexOf('/') < 0
                    && !expanded.equals(".") && !expanded.equals("..")) {
                // not '.' or '..': a directory is no file a command runs ('jq .' named the working directory)
                arguments.add(expanded);
            }
            boolean script = text.chars().anyMatch(c -> " \t\n'\";|&()<>`".indexOf(c) >= 0) && !gitFormat(split, i)
                    // nor a word of a program that runs none of its words ('grep -v "\\*\\|main"', "echo 'a|b'": red team,
                    // round 45, FP1); what it prints is read where it goes ('echo x | sh' fails closed at the sh)
                    && !anyWords[i];
            if (script && depth + 1 < MAX_DEPTH && !forList(split, i)) {
                read(text, depth + 1);
                java.util.regex.Matcher keyed = KEYED_VALUE.matcher(text);
                if (keyed.matches() && !assignment) {
                    read(keyed.group(1) != null ? keyed.group(1) : keyed.group(2), depth + 1);
                }
            } else if (script && text.indexOf('/') >= 0) {
                // round 25, F4: five nested evals hid a path; past the depth a script is not read, so it is unknown
                code.unknown.add("a command nested deeper than " + MAX_DEPTH + " levels of quoting in the word " + text);
            }
        }
    }

    /**
     * git's subcommands whose operands are revisions or paths it reads, none of which it runs; not {@code fetch},
     * {@code push} or {@code pull}, whose first operand is a repository whose hooks run.
     */
    private static final Set<String> REVISION_READERS = Set.of("log", "show", "diff", "rev-list", "rev-parse", "shortlog",
            "cherry-pick", "revert", "rebase", "merge", "merge-base", "range-diff", "format-patch", "cherry", "describe",
            "reset", "checkout", "switch", "branch", "whatchanged", "name-rev", "diff-tree", "reflog");

    /** A revision, a range or a ref's name as written ({@code origin/main}, {@code v1..HEAD~2}, {@code refs/heads/x}). */
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_./@{}~^:+-]+");

    /**
     * Notes which words of {@code split} stand where git takes a revision (red team, round 44, F11: {@code !git
     * rebase origin/main} named {@code ./origin/main} as a path that runs, keeping every repository read-only) and
     * which stand anywhere else: a word seen anywhere else, at any depth, is no revision ({@code !git log x/y && x/y}).
     * The value of {@code -x}/{@code --exec} ({@code rebase -x CMD}) is elsewhere.
     */
    private void noteRevisions(List<Word> split) {
        boolean[] revision = new boolean[split.size()];
        List<String> texts = split.stream().map(Word::text).toList();
        int start = 0;
        while (start < split.size()) {
            int end = start;
            while (end < split.size() && split.get(end).command() == split.get(start).command()) {
                end++;
            }
            int p = start; // git anywhere in the command: after env, nice, sudo, xargs, … too
            while (p < end && (!ScriptScan.nameOf(split.get(p).text()).equals("git") || split.get(p).redirectionTarget())) {
                p++;
            }
            if (p < end) {
                int s = GitConfig.gitSubcommandIndex(texts, p + 1, end, k -> split.get(k).redirectionTarget());
                if (s < end && Set.of("fetch", "push", "pull").contains(split.get(s).text())) {
                    transportRepositories(split, s + 1, end);
                }
                if (s < end && REVISION_READERS.contains(split.get(s).text())) {
                    for (int j = s + 1; j < end; j++) {
                        Word w = split.get(j);
                        if (w.text().equals("-x") || w.text().equals("--exec")) {
                            j++; // 'rebase -x CMD': a command
                        } else if (!w.text().startsWith("-") && !w.redirectionTarget() && REVISION.matcher(w.text()).matches()) {
                            // no '$', backtick or glob ('HEAD~2' is no literal word, and is a revision)
                            revision[j] = true;
                        }
                    }
                }
            }
            start = end;
        }
        for (int i = 0; i < split.size(); i++) {
            (revision[i] ? asRevision : elsewhere).add(split.get(i).text());
        }
    }

    /** Options of fetch, push and pull that take no value. */
    private static final Set<String> TRANSPORT_FLAGS = Set.of("-q", "--quiet", "-v", "--verbose", "-f", "--force", "-u",
            "--set-upstream", "--all", "--tags", "--follow-tags", "--no-verify", "--atomic", "--dry-run", "-n", "--prune",
            "-p", "--progress", "--rebase", "-r", "--ff-only", "--no-rebase", "--no-tags", "--mirror", "-d", "--delete");

    /** The repository of a git fetch, push or pull whose words after the subcommand are {@code [from, to)}. */
    private void transportRepositories(List<Word> split, int from, int to) {
        boolean optionFirst = false;
        for (int j = from; j < to; j++) {
            Word w = split.get(j);
            String t = w.text();
            if (w.redirectionTarget()) {
                continue;
            }
            if (t.equals("--")) {
                if (j + 1 < to) {
                    repositories.add(split.get(j + 1).text());
                }
                return;
            }
            if (t.startsWith("--repo=")) {
                repositories.add(t.substring("--repo=".length()));
            } else if (t.startsWith("-")) {
                if (GitConfig.TRANSPORT_VALUE_OPTIONS.contains(t) && j + 1 < to) {
                    j++;
                    if (t.equals("--repo")) {
                        repositories.add(split.get(j).text());
                    }
                } else if (!TRANSPORT_FLAGS.contains(t) && !t.startsWith("--force-with-lease")) {
                    optionFirst = true; // an option not known here may take the next word as its value
                }
            } else {
                repositories.add(t);
                if (!optionFirst) {
                    return; // the first operand: the rest are refspecs
                }
            }
        }
    }

    /** A git format string: {@code --pretty=format:'%C(bold blue)<%an>'}, {@code --format=…}. */
    private static final Pattern GIT_FORMAT = Pattern.compile("--(?:pretty|format)=.*", Pattern.DOTALL);

    /** git, and its subcommands that take a format, as a plain alias's first word ({@code lg = log --pretty=…}). */
    private static final Set<String> FORMATTERS = Set.of("git", "log", "show", "whatchanged", "reflog", "rev-list",
            "shortlog", "for-each-ref", "branch", "tag", "ls-files", "ls-tree", "cat-file");

    /**
     * Whether word {@code i} is a format string git prints with: read as a command it named a program {@code bold}
     * given its input by {@code <%an>}, so the classic {@code lg} alias kept working directories read-only (red team,
     * round 44, F11). git runs nothing a format says.
     */
    private static boolean gitFormat(List<Word> split, int i) {
        if (!GIT_FORMAT.matcher(split.get(i).text()).matches() || split.get(i).redirectionTarget()) {
            return false;
        }
        int first = ScriptScan.firstOf(split, i);
        int p = ScriptScan.programOf(split, first, split.size());
        return p < i && FORMATTERS.contains(ScriptScan.nameOf(split.get(p).text()));
    }

    /**
     * A command string inside an option's or a key's value ({@code -o ProxyCommand="sh x.sh"},
     * {@code --split-string=…}, {@code core.sshCommand=…}, socat's {@code EXEC:…}, {@code env -S'…'}):
     * read as a command too (round 27, F6).
     */
    private static final Pattern KEYED_VALUE = Pattern.compile("-{0,2}[A-Za-z0-9_.-]+[=:](.+)|-[A-Za-z](.+)", Pattern.DOTALL);

    /** {@code aws configure}'s forms that write nothing. */
    static final Set<String> AWS_CONFIGURE_READS = Set.of("get", "list", "list-profiles", "export-credentials");

    /**
     * The word {@code configure} (not {@code ./configure}, {@code --configure}), group 1 when a read follows it at once
     * ({@code aws configure get region}, {@code list}): any other form may write the AWS config.
     */
    private static final Pattern AWS_CONFIGURE = Pattern.compile(
            "(?<![\\w./-])configure(?![\\w.-])(\\s+(?:" + String.join("|", AWS_CONFIGURE_READS) + ")(?![\\w.-]))?");

    /** Whether {@code text} runs {@code aws configure} in a form that may write the AWS config or models. */
    static boolean writesAwsConfig(String text) {
        java.util.regex.Matcher configure = AWS_CONFIGURE.matcher(text);
        while (configure.find()) {
            if (configure.group(1) == null) {
                return true;
            }
        }
        return false;
    }

    /** A process substitution right after an option, or glued to it ({@code -f <(…)}, {@code --file=<(…)}). Over-inclusive. */
    private static final Pattern OPTION_PROCESS_SUBSTITUTION = Pattern.compile("(?:^|\\s)-[^\\s<()]*\\s*<\\(");

    /** How an unknown pathname expansion is said: a plain git alias, which no shell expands, leaves those out. */
    static final String PATHNAME_EXPANSION = "the pathname expansion ";

    /**
     * Whether word {@code i}'s simple command puts file names where its words say {@code {}}: find's {@code -exec},
     * {@code -execdir}, {@code -ok}, {@code -okdir}, xargs, GNU parallel, fd's {@code -x}/{@code -X}.
     */
    private static boolean replacesNames(List<Word> split, int i) {
        for (int j = 0; j < split.size(); j++) {
            Word w = split.get(j);
            if (w.command() == split.get(i).command() && (Set.of("-exec", "-execdir", "-ok", "-okdir", "-x", "-X",
                    "--exec", "--exec-batch").contains(w.text()) || w.commandPosition()
                    && Set.of("xargs", "parallel").contains(w.text().substring(w.text().lastIndexOf('/') + 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Characters that make a word a command string of its own. */
    private static final Pattern SCRIPT_CHARACTERS = Pattern.compile("[\\s;|&$`()<>]");

    /**
     * Where the positional parameters are not the user's words: {@code set} given words ({@code set -- *}: red team,
     * round 41, F2), and file names handed to a command string ({@code find -exec sh -c '… $1' _ {}}, xargs, parallel:
     * F4). Over-inclusive.
     */
    private static final Pattern SETS_POSITIONALS = Pattern.compile("\\bset\\s+[^\\s;&|]|\\{}|\\bxargs\\b|\\bparallel\\b");

    /** A pathname expansion's characters. */
    private static final Pattern GLOB = Pattern.compile("[*?\\[]");

    /** {@code cd} and its kin: what follows runs elsewhere than where relative words are taken here. */
    private static final Set<String> DIRECTORY_CHANGES = Set.of("cd", "pushd", "popd");

    /**
     * Where bash evaluates a variable's value: arithmetic ({@code (( ))}, {@code $[ ]}, {@code let}, any {@code [[ ]]}
     * — its {@code -eq} operands are expressions, a bare name evaluated —, an integer variable {@code declare -i}),
     * indirection ({@code ${!x}}, a nameref {@code declare -n}), prompt expansion, an index or offset, an array element
     * assigned ({@code a[n]=1}), and a name tested or assigned by {@code -v} ({@code test -v}, {@code printf -v}: red
     * team, round 39, F2, F7, F10). Over-inclusive.
     */
    private static final Pattern EVALUATES = Pattern.compile("\\(\\(|\\$\\[|\\blet\\s|\\$\\{!|@[PEAK]\\}|\\$\\{[^}]*[\\[:]"
            + "|(?:\\btest|\\[|\\bprintf)[^;&|\\n]*\\s-v\\b|\\b(?:declare|typeset|local|export|readonly)\\s+-[a-zA-Z]*[ni]|\\[\\[|\\s-(?:eq|ne|lt|le|gt|ge)\\s"
            + "|[A-Za-z_][A-Za-z0-9_]*\\[[^\\]]*\\]\\+?=");

    /**
     * Where the command gives a variable a value it computes: a command substitution anywhere ({@code n="$(cat f)"},
     * {@code n=${X-$(cat f)}}, {@code n=0`cat f`}: red team, round 39, F3), a builtin that reads or sets variables,
     * a regular-expression match ({@code BASH_REMATCH}). Over-inclusive.
     */
    private static final Pattern COMPUTES = Pattern.compile("\\$\\(|`|=~|\\$_\\b|\\b(?:read|mapfile|readarray|for|getopts"
            + "|select|coproc|eval|set|declare|typeset|local|printf|REPLY|MAPFILE|OPTARG|BASH_REMATCH)\\b");

    /** Builtins that make a command's name run something else. */
    private static final Set<String> NAME_CHANGES = Set.of("alias", "hash", "enable");

    /** Bash's brace expansion ({@code a{b,c}}, {@code {1..3}}): ssh runs its commands with the user's shell (round 25, F5). */
    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*(,|\\.\\.)[^{}]*}");

    /**
     * What the POSIX reader cannot follow, where a path may be decided: {@code ~} when the command
     * sets {@code HOME} itself, bash's {@code ~+} and {@code ~-} ({@code $PWD}, {@code $OLDPWD}) and its
     * brace expansion (round 25, F2, F5).
     */
    private void noteShellOnly(String text) {
        if (text.startsWith("~+") || text.startsWith("~-") || text.contains(":~+") || text.contains(":~-")) {
            code.unknown.add("bash's " + text.substring(0, 2) + " (the current or previous directory) in the word " + text);
        } else if (text.startsWith("~") && setByTheCommand("HOME")) {
            code.unknown.add("~ after the command sets HOME itself, in the word " + text);
        }
        if (text.indexOf('/') >= 0 && BRACES.matcher(text).find()) {
            code.unknown.add("a brace expansion (bash) in the word " + text);
        }
    }

    private void add(String word) {
        if (word.isEmpty()) {
            return;
        }
        if (!KEY_AND_PATH.matcher(word).matches()) {
            words.add(word); // not 'UserKnownHostsFile=/dev/null' itself: a directory 'UserKnownHostsFile=' in the project
        }
        words.addAll(tails(word));
    }

    /** A key glued to an absolute path ({@code UserKnownHostsFile=/dev/null}): the path is the tail; the word is none. */
    private static final Pattern KEY_AND_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*=[/~].*", Pattern.DOTALL);

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

    /**
     * One word of a command, quotes taken off; whether it stands where a command's name does; which
     * simple command it belongs to (counted from 0: a new one after {@code ; | & ( )} and a new line);
     * whether that simple command's standard input is given it by the string ({@link #split}); whether its text is
     * exactly what the program is given ({@code literal}: no {@code $} or backtick outside single quotes, no unquoted
     * glob, brace or {@code ~}; {@link ProgramText} reads only such text); whether it follows a redirection operator
     * ({@code > f}, {@code >> f}, {@code < f}, {@code 2>&1}: the file the shell opens, whatever the program).
     */
    record Word(String text, boolean commandPosition, int command, boolean inputGiven, boolean literal,
                Redirection redirection) {
        Word(String text, boolean commandPosition, int command) {
            this(text, commandPosition, command, false, false, Redirection.NONE);
        }

        /** Whether a redirection opens what it names. */
        boolean redirectionTarget() {
            return redirection != Redirection.NONE;
        }
    }

    /** What a word after a redirection operator is: nothing of the kind, a file read ({@code <}), a file written ({@code >}). */
    enum Redirection { NONE, INPUT, OUTPUT }

    /** Reserved words that open a compound command, whose commands all read what its standard input is given. */
    private static final Set<String> OPENERS = Set.of("{", "if", "while", "until", "for", "case", "select");

    /** Reserved words that close one. */
    private static final Set<String> CLOSERS = Set.of("}", "fi", "done", "esac");

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
        boolean literal = true; // nothing in the word is expanded by the shell (Word#literal)
        boolean commandPosition = true;
        int simple = 0;
        int i = 0;
        int n = command.length();
        Input input = new Input();
        Redirection redirected = Redirection.NONE; // what the next word is, after a redirection operator
        while (i < n) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                end = end < 0 ? n : end;
                word.append(command, i + 1, end);
                any = true;
                literal &= end == i + 1 || command.charAt(end - 1) != '\\'; // fish reads \' in single quotes
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
                        literal = false;
                        i = end;
                    } else {
                        word.append(d);
                        literal &= d != '$';
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
                literal = false;
                i = end;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || ";|&()<>".indexOf(c) >= 0) {
                if (any && (c == '<' || c == '>') && literal && word.chars().allMatch(Character::isDigit)) {
                    // '2>/dev/null': the digits are the descriptor the redirection opens, no word of the command
                    // ('git 2>/dev/null -c core.hooksPath=h commit' took them for git's subcommand: red team, round 43, F9)
                    word.setLength(0);
                    any = false;
                }
                if (any) {
                    out.add(new Word(word.toString(), commandPosition, simple, false, literal, redirected));
                    redirected = Redirection.NONE;
                    input.word(word.toString(), commandPosition, simple);
                    // after a reserved word or a prefix command, the next word is a command's name again
                    commandPosition = commandPosition && PREFIXES.contains(word.toString());
                    word.setLength(0);
                    any = false;
                }
                literal = true;
                // '2>&1', '<&3': the '&' is part of a redirection, no operator
                boolean redirection = c == '&' && i > 0 && (command.charAt(i - 1) == '>' || command.charAt(i - 1) == '<');
                if (c != ' ' && c != '\t' && c != '\r' && !(c == '<' || c == '>') && !redirection) {
                    commandPosition = true; // after ; | & ( ) and a new line: a command's name
                    boolean caseSyntax = input.operator(command, i, simple);
                    simple++;
                    if (c == '(' && !caseSyntax && i > 0 && command.charAt(i - 1) == '>') {
                        input.openWrittenInto(simple); // '>(…)': its commands read what the outer one writes
                    } else if (c == '(' && !caseSyntax) {
                        input.open(simple);
                    }
                } else if (c == '<') {
                    input.redirect(simple); // '< f', '<<EOF', '<<< text', '<(…)': the command reads what it is given
                }
                if (c == '<') {
                    redirected = Redirection.INPUT; // also '<(…)': its word is a command, read as one anyway
                } else if (c == '>') {
                    redirected = Redirection.OUTPUT; // also '<>', '2>', '>>'
                } else if (!redirection && c != ' ' && c != '\t' && c != '\r') {
                    redirected = Redirection.NONE; // an operator between: no redirection's word
                }
                i++;
            } else {
                word.append(c);
                any = true;
                literal &= "$*?[{~".indexOf(c) < 0;
                i++;
            }
        }
        if (any) {
            out.add(new Word(word.toString(), commandPosition, simple, false, literal, redirected));
            input.word(word.toString(), commandPosition, simple);
        }
        return out.stream().map(w -> input.given.contains(w.command())
                ? new Word(w.text(), w.commandPosition(), w.command(), true, w.literal(), w.redirection()) : w)
                .toList();
    }

    /**
     * Which simple commands of a string read what the string gives their standard input: those after a
     * {@code |} (all of a compound command there, {@code … | while read l; do sh; done}, until the pipeline
     * ends), and those with a {@code <} redirection ({@code <}, {@code <<}, {@code <<<}, {@code <(…)}; after a
     * compound command's end, {@code done < f}, all of its commands). Over-inclusive where unsure.
     */
    private static final class Input {
        final Set<Integer> given = new java.util.HashSet<>();
        private final java.util.Deque<Integer> opened = new java.util.ArrayDeque<>(); // first command of each level
        /** Beside {@link #opened}: each level's {@code case} state ({@link #NO_CASE} for any other compound command). */
        private final java.util.Deque<Integer> caseState = new java.util.ArrayDeque<>();
        private static final int NO_CASE = 0;
        private static final int CASE_WORD = 1; // 'case WORD' before its 'in'
        private static final int CASE_PATTERN = 2; // a pattern list, whose ')' closes nothing
        private static final int CASE_BODY = 3; // a branch's commands, until ';;', ';&' or ';;&'
        /** The levels of the {@code >(…)} open around the current word: what the outer command writes is their input. */
        private final java.util.Deque<Integer> writtenInto = new java.util.ArrayDeque<>();
        private boolean piped;
        private int pipeDepth;
        private int closedFrom = -1; // the first command of a compound command that just ended, for 'done < f'

        void word(String text, boolean commandPosition, int simple) {
            if (piped || !writtenInto.isEmpty()) {
                given.add(simple);
            }
            int state = caseState.isEmpty() ? NO_CASE : caseState.peek();
            if (state == CASE_WORD) {
                if (text.equals("in")) {
                    caseState.pop();
                    caseState.push(CASE_PATTERN);
                }
            } else if (state == CASE_PATTERN) {
                if (text.equals("esac")) {
                    close(); // wherever it stands: 'case x in esac'
                }
                // else a pattern ('if)', 'done)'), no reserved word
            } else if (commandPosition && OPENERS.contains(text)) {
                open(simple, text.equals("case") ? CASE_WORD : NO_CASE);
            } else if (commandPosition && CLOSERS.contains(text)) {
                close();
            }
        }

        void open(int simple) {
            open(simple, NO_CASE);
        }

        /** {@code >(…)}: every command in it reads what the command around it writes ({@code cat x > >(sh)}). */
        void openWrittenInto(int simple) {
            open(simple, NO_CASE);
            writtenInto.push(opened.size());
        }

        private void open(int simple, int state) {
            opened.push(simple);
            caseState.push(state);
        }

        private void close() {
            closedFrom = opened.isEmpty() ? 0 : opened.pop();
            if (!caseState.isEmpty()) {
                caseState.pop();
            }
            if (piped && opened.size() < pipeDepth) {
                piped = false; // the compound command the pipe fed has ended (a group around the pipeline)
            }
            if (!writtenInto.isEmpty() && opened.size() < writtenInto.peek()) {
                writtenInto.pop();
            }
        }

        /**
         * Whether {@code c} belongs to a {@code case} rather than ending or opening a level: the {@code (} and
         * {@code )} around a pattern, and the {@code ;;}, {@code ;&}, {@code ;;&} that end a branch (the next
         * pattern follows). Before, a pattern's {@code )} closed the {@code case} and its {@code ;;} ended the pipe
         * that fed it, so that a later branch's commands were not read as given the input.
         */
        private boolean caseSyntax(String command, int i) {
            int state = caseState.isEmpty() ? NO_CASE : caseState.peek();
            char c = command.charAt(i);
            if (state == CASE_PATTERN && (c == '(' || c == ')')) {
                if (c == ')') {
                    caseState.pop();
                    caseState.push(CASE_BODY);
                }
                return true;
            }
            if (state == CASE_BODY && c == ';' && (i + 1 < command.length() && ";&".indexOf(command.charAt(i + 1)) >= 0
                    || i > 0 && command.charAt(i - 1) == ';')) {
                caseState.pop();
                caseState.push(CASE_PATTERN);
                return true;
            }
            return state == CASE_PATTERN && (c == ';' || c == '&' || c == '|' || c == '\n');
        }

        /**
         * The operator {@code command.charAt(i)}: {@code ; | & ( )} or a new line, ending simple command {@code simple}.
         *
         * @return whether it is a {@code case}'s own syntax ({@link #caseSyntax}): a {@code (} there opens nothing
         */
        boolean operator(String command, int i, int simple) {
            char c = command.charAt(i);
            if (caseSyntax(command, i)) {
                return true;
            }
            boolean or = c == '|' && (i + 1 < command.length() && command.charAt(i + 1) == '|'
                    || i > 0 && command.charAt(i - 1) == '|');
            boolean pipeAnd = c == '&' && i > 0 && command.charAt(i - 1) == '|'; // bash's |&
            if (c == ')') {
                close();
                return false;
            }
            if (c == '(') {
                closedFrom = -1;
                return false;
            }
            closedFrom = -1;
            if (c == '\n' && command.substring(0, i).stripTrailing().endsWith("|")) {
                return false; // 'a |' and a new line: the pipeline goes on
            }
            if (c == '|' && !or) {
                if (!piped) {
                    pipeDepth = opened.size();
                }
                piped = true;
            } else if (!pipeAnd && opened.size() <= pipeDepth) {
                piped = false; // ';', '&', '&&', '||', a new line: the pipeline ends, at its own level
            }
            return false;
        }

        void redirect(int simple) {
            given.add(simple);
            if (closedFrom >= 0) {
                for (int k = closedFrom; k <= simple; k++) {
                    given.add(k); // 'while read l; do sh; done < f': every command of the compound reads f
                }
            }
        }
    }

    /** Reserved words, and wrappers that run the word after them: none of them is the program a simple command runs. */
    static final Set<String> RESERVED = Set.of("{", "}", "!", "if", "then", "else", "elif", "do", "while", "until",
            "done", "fi", "esac", "for", "case", "select", "time", "env", "nohup", "sudo", "nice", "exec", "command");

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
                name = String.valueOf(d); // a positional or special parameter: not known here (set -- sets them)
                end = i + 2;
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
                boolean usersWord = positional(name) && !setsPositionals;
                if (computedMatters && !usersWord
                        && (positional(name) || setByTheCommand(name) || computes)) {
                    // not only a variable the string spells as set: where it reads or computes anything, the shell may
                    // have set REPLY (read, select), MAPFILE, OPTARG, BASH_REMATCH or $_ itself (red team, round 39,
                    // F1: read < .h; ssh $REPLY). One the environment does not set, in a string that computes nothing,
                    // is the later environment's: no command can set it
                    code.unknown.add("the variable $" + name + ", whose value is not the environment's (the command"
                            + " computes or sets it, or the shell does: read's $REPLY), as an argument of a program whose"
                            + " options may run code, in the word " + word);
                }
                if (unknownAt < 0) {
                    unknownAt = out.length();
                    what = "the variable $" + (d == '{' ? "{" + name + "}" : name) + ", whose value cannot be known here"
                            + " (the environment aws-sandbox runs in does not set it, the command sets it itself, it is"
                            + " a positional parameter, or an operator changes it)";
                }
            } else {
                out.append(value);
            }
            i = end;
        }
        String expanded = out.toString();
        if (unknownAt >= 0 && (expanded.indexOf('/', unknownAt) >= 0 || commandPosition)) {
            code.unknown.add(what + " in the word " + word);
        }
        return expanded;
    }

    /**
     * A variable's value: the environment's, {@code $PWD} the working directory; null when it cannot
     * be known here — a positional or special parameter ({@code set --} sets them), a variable the
     * command sets itself ({@code x=…}, {@code read x}, {@code HOME=…}), and every {@code ${…}} with an
     * operator ({@code ${X+word}}, {@code ${X%pat}}, {@code ${X:-w}}: red team, round 25, F1, F2, which
     * named nothing or the wrong file when read as the plain variable or as "").
     */
    private String value(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || setByTheCommand(name)) {
            return null;
        }
        if (name.equals("PWD")) {
            return workingDirectory.toString(); // where the later program runs: as a relative word, taken here
        }
        if (name.equals("HOME")) {
            return variables.getOrDefault("HOME", home.toString());
        }
        return variables.get(name);
    }

    /**
     * Whether {@code name} (as between {@code ${} and {@code }}) is a positional or special parameter: the words the
     * program was given ({@code $1}, {@code "$@"}, {@code ${1:-x}}), their count, a status or a process id — the
     * user's own words, or numbers; what the string computes into them ({@code set -- $(…)}, {@code f $(…)}) is
     * unknown where it is computed.
     */
    private static boolean positional(String name) {
        return !name.isEmpty() && "0123456789@*#?$!-".indexOf(name.charAt(0)) >= 0;
    }

    /**
     * Whether word {@code i} of {@code split} assigns a shell variable in a statement of assignments only
     * ({@code ip=$(aws myip)}, upstream awscli-aliases): no command's name, so what cannot be known in its value
     * decides no path there; where the variable is used, it is unknown as any the command sets. Not a variable
     * the environment has or the command may export (its value reaches the programs it starts: {@code PATH},
     * {@code PYTHONPATH}), none without a lower-case letter (the shells' own: {@code IFS}, {@code CDPATH},
     * {@code FPATH}), nor zsh's tied {@code path}, {@code fpath}, {@code cdpath}, {@code module_path}, {@code manpath}.
     */
    private boolean plainAssignment(List<Word> split, int i) {
        java.util.regex.Matcher m = ASSIGNS.matcher(split.get(i).text());
        if (!m.matches() || !m.group(1).chars().anyMatch(Character::isLowerCase) || variables.containsKey(m.group(1))
                || Set.of("path", "fpath", "cdpath", "module_path", "manpath").contains(m.group(1))
                || EXPORTS.matcher(assigned).find()) {
            return false;
        }
        for (int j = 0; j < split.size(); j++) {
            Word w = split.get(j);
            // '{ ip=$(aws myip)', 'then x=…': a reserved word before it; a word that is neither makes it a command's
            if (w.command() == split.get(i).command() && !ASSIGNS.matcher(w.text()).matches()
                    && !(j < i && BEFORE_ASSIGNMENT.contains(w.text()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether word {@code i} is in the list of a {@code for NAME in …} (upstream awscli-aliases:
     * {@code for i in $(aws iam list-users …)}): words the loop assigns, not a script read again.
     */
    private static boolean forList(List<Word> split, int i) {
        int first = i;
        while (first > 0 && split.get(first - 1).command() == split.get(i).command()) {
            first--;
        }
        while (first < i && BEFORE_ASSIGNMENT.contains(split.get(first).text())) {
            first++; // '{ for i in …', 'then for …'
        }
        return split.get(first).text().equals("for") && split.get(first).commandPosition() && i >= first + 3
                && split.get(first + 2).text().equals("in");
    }

    /** Reserved words that may open a statement of assignments or a {@code for}: not {@link #RESERVED}'s wrappers. */
    private static final Set<String> BEFORE_ASSIGNMENT = Set.of("{", "!", "if", "then", "else", "elif", "do", "while",
            "until");

    private static final Pattern ASSIGNS = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=.*", Pattern.DOTALL);
    private static final Pattern EXPORTS = Pattern.compile("\\b(export|declare|typeset|readonly|allexport)\\b|\\bset\\s+-[A-Za-z]*a");

    /** Whether the command itself sets {@code name} ({@code name=…}, {@code for name in}, {@code read name}, {@code local name}). */
    private boolean setByTheCommand(String name) {
        return setByTheCommand.computeIfAbsent(name, n -> Pattern.compile("(?<![A-Za-z0-9_${])" + Pattern.quote(n)
                + "(?![A-Za-z0-9_}])").matcher(assigned).find());
    }

    /** {@link #setByTheCommand(String)}'s answers: the whole command is read once per variable, not once per use. */
    private final Map<String, Boolean> setByTheCommand = new java.util.HashMap<>();
}
