package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a command string runs, by the rules of the programs in it ({@link Interpreters}): the file an
 * interpreter runs or a shell sources, named without a {@code /} too (red team, round 26, F1); the
 * directories whose files run ({@code find -exec sh {}}, {@code run-parts}, {@code make},
 * {@code python3 -c}, a library option, a code-loading variable set in the string); the configs given
 * to ssh ({@code -F}); git's own options and {@code -c} entries (rounds 29, 30); and what cannot be
 * known here ({@code xargs}, git config entries set in the environment). {@link CommandWords} splits
 * and expands the string, asks this which words are scripts, and reports what it found.
 */
final class ScriptScan {
    /** The relative files that run (see {@link CommandWords.Reading#scripts()}). */
    final Set<String> scripts = new LinkedHashSet<>();
    /** The directories whose files run (see {@link CommandWords.Reading#directories()}). */
    final Set<String> directories = new LinkedHashSet<>();
    /** The configs given to ssh, as written. */
    final Set<String> configs = new LinkedHashSet<>();
    /** The secret files the string hands a program, as written (see {@link CommandWords.Reading#keys()}). */
    final Set<String> keys = new LinkedHashSet<>();
    /** Why what runs cannot be known. */
    final List<String> unknown = new ArrayList<>();
    /** Whether something in the string runs in another directory ({@code cd}, {@code env -C}, {@code git -C}). */
    boolean changesDirectory;
    /** Whether an interpreter was given no file: what the other commands print runs. */
    boolean readsStandardInput;

    private final Function<String, String> variable;
    private final Consumer<String> readCommand;

    /**
     * @param variable    a variable's value as the reader knows it, or {@code null}
     * @param readCommand reads a command string found in a git config entry ({@code -c alias.x=!…})
     */
    ScriptScan(Function<String, String> variable, Consumer<String> readCommand) {
        this.variable = variable;
        this.readCommand = readCommand;
    }

    /** Options that make what follows run in another directory. */
    private static final Set<String> DIRECTORY_OPTIONS = Set.of("-C", "-execdir", "-okdir");

    /** {@code -C} with its value glued, alone or in a cluster: {@code env -Cproj}, {@code env -iCproj} (round 31, F2). */
    private static final Pattern GLUED_DIRECTORY = Pattern.compile("-[A-Za-z]*C.+");

    /** A {@code find}'s actions that run a command, {@code {}} the file found. */
    private static final Set<String> FIND_ACTIONS = Set.of("-exec", "-execdir", "-ok", "-okdir");

    /**
     * Which words of {@code split} are files an interpreter runs (red team, round 26, F1), simple
     * command by simple command; notes the directories whose files run, a directory change, an
     * interpreter reading its standard input, and what {@code xargs} hands an interpreter (unknown).
     */
    boolean[] scriptPositions(List<CommandWords.Word> split) {
        boolean[] script = new boolean[split.size()];
        configWrites(split);
        keys(split);
        int start = 0;
        while (start < split.size()) {
            int end = start;
            while (end < split.size() && split.get(end).command() == split.get(start).command()) {
                end++;
            }
            scanCommand(split, start, end, script);
            if (split.get(start).inputGiven()) {
                readsGivenInput(split, start, end);
            } else {
                int p = programOf(split, start, end);
                if (p < end && nameOf(split.get(p).text()).equals("xargs")) {
                    // its words come from outside the string whatever its input: 'xargs -a hosts.txt -I{} sh -c …'
                    // (red team, round 40, F5)
                    xargsCommand(split, p + 1, end);
                }
            }
            start = end;
        }
        return script;
    }

    /**
     * A string that writes a config file the host's git, aws or ssh reads ({@code echo '[core] hooksPath = h' >>
     * .git/config}: red team, round 43, F7): what it writes there is text this reader does not follow, so it fails
     * closed. A config file is one {@link #CONFIG_FILE} names, written by a redirection or given to a program that writes
     * its arguments (its value glued to an option too); an archive extracted anywhere writes what its members name.
     * Also {@code aws configure} given in words ({@code configure "set"}, round 43, F4), which the text's own check
     * cannot see.
     */
    private void configWrites(List<CommandWords.Word> split) {
        for (int i = 0; i < split.size(); i++) {
            CommandWords.Word word = split.get(i);
            String text = word.text().strip();
            if (text.equals("configure") && !word.commandPosition()) {
                int next = i + 1;
                boolean read = next < split.size() && split.get(next).command() == word.command()
                        && CommandWords.AWS_CONFIGURE_READS.contains(split.get(next).text());
                if (!read) {
                    unknown.add("aws configure, which writes the AWS config the host's aws reads later");
                }
            }
            String name = nameOf(text);
            if (word.commandPosition() && (EXTRACTORS.contains(name) || name.equals("tar") && extracts(split, i))) {
                // 'tar -xf vendor.tar', 'unzip v.zip': the archive's member names say where it writes, .git/hooks or
                // ~/.bashrc as well (red team, round 44, F5)
                unknown.add(name + " extracting an archive, whose members may be config files a program on the host"
                        + " reads later");
                return;
            }
            String target = text.startsWith("-") && text.indexOf('=') > 0 ? text.substring(text.indexOf('=') + 1)
                    : GLUED_TARGET.matcher(text).matches() ? text.substring(text.indexOf('t') + 1) : text;
            if (!CONFIG_FILE.matcher(text).find() && !CONFIG_FILE.matcher(target).find()) {
                continue; // '--target-directory=.git/hooks', '-vt.git/hooks': the value glued (round 44, F6)
            }
            int p = programOf(split, firstOf(split, i), split.size());
            boolean writer = p < split.size() && p != i && split.get(p).command() == word.command()
                    && WRITES_ITS_ARGUMENTS.contains(nameOf(split.get(p).text()));
            if (word.redirection() == CommandWords.Redirection.OUTPUT || writer) {
                unknown.add("a command that writes " + text + ", a config file a program on the host reads later");
                return;
            }
        }
    }

    /** git's keys whose value is a secret file it sends: a client key or certificate, a cookie file. */
    static final Set<String> SECRET_FILE_KEYS = Set.of("sslkey", "sslcert", "proxysslkey", "proxysslcert", "cookiefile");

    /** The variables that give git such a file. */
    private static final Set<String> SECRET_FILE_VARIABLES = Set.of("GIT_SSL_KEY", "GIT_SSL_CERT", "GIT_PROXY_SSL_KEY",
            "GIT_PROXY_SSL_CERT");

    /** A key whose path the string computes or hides ({@code GIT_CONFIG_VALUE_0=…}): no variable can expand it. */
    static final String UNKNOWN_KEY = "${git config entries the command gives git: GIT_CONFIG_COUNT, GIT_CONFIG_PARAMETERS}";

    /** ssh's programs whose {@code -i} names a private key (and {@code ssh-add}, whose operands are keys). */
    private static final Set<String> SSH_PROGRAMS = Set.of("ssh", "scp", "sftp", "autossh", "ssh-add",
            // OpenSSH's old name, ssh-copy-id, Dropbear's client and PuTTY's (whose -i is a key file too); Windows'
            // OpenSSH as WSL runs it, ssh.exe (outside attack RT8-13, RT8-15)
            "slogin", "ssh-copy-id", "dbclient", "plink", "pscp", "psftp", "putty");

    /**
     * Programs' options whose value is options for the ssh they run: unison's {@code -sshargs}, the pssh suite's
     * {@code -x}/{@code --extra-args}, duplicity's {@code --ssh-options} (outside attack RT8-10: {@code -sshargs "-i
     * KEY"} handed ssh a key that was not withheld). The value is read as {@code ssh VALUE}.
     */
    private static Set<String> sshArgumentOptions(String name) {
        return switch (name) {
            case "unison" -> Set.of("-sshargs");
            case "duplicity" -> Set.of("--ssh-options");
            // prsync's own -s/--ssh-args, and the suite's long names (re-attack RT9-7)
            case "prsync", "parallel-rsync" -> Set.of("-x", "--extra-args", "-s", "--ssh-args");
            case "pssh", "parallel-ssh", "pscp.pssh", "parallel-scp", "pslurp", "parallel-slurp", "pnuke", "parallel-nuke"
                    -> Set.of("-x", "--extra-args");
            default -> null;
        };
    }

    /** {@code name} as an ssh program: without the {@code .exe} WSL's shells run Windows' OpenSSH by. */
    private static String sshProgram(String name) {
        // Windows finds a program whatever its case (SSH.EXE, Ssh.exe: re-attack RT9-8)
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".exe") ? lower.substring(0, lower.length() - 4) : name;
    }

    /** The options that name a remote shell program by itself ({@code rsync -e ssh}, {@code --rsh ssh}). */
    private static final Set<String> REMOTE_SHELL_OPTIONS = Set.of("-e", "--rsh");

    /** git's credential store, which keeps passwords in its {@code --file} (a helper {@code store --file F}). */
    private static final Set<String> CREDENTIAL_STORES = Set.of("store", "credential-store", "git-credential-store");

    /** ssh's {@code -i}, after any of its flags that take no value, in one cluster. */
    private static final Pattern SSH_IDENTITY = Pattern.compile("-[46AaCfGgKkMNnqsTtVvXxYy]*i.*", Pattern.DOTALL);

    /** An ssh option that names a key or certificate, {@code -o} glued or not: {@code -oIdentityFile=k}, {@code IdentityFile k}. */
    private static final Pattern KEY_OPTION = Pattern.compile("(?i)(?:-o\\s*)?(?:IdentityFile|CertificateFile)\\s*[=\\s]\\s*(\\S.*)",
            Pattern.DOTALL);

    /**
     * The secret files a command string hands a program (red team, round 44, F12-F14: {@code core.sshCommand = ssh -i
     * /w/deploy_key} left the key readable by every command run in {@code /w}): an ssh program's {@code -i} value
     * ({@code -ikey} too) and {@code ssh-add}'s operands and standard input; an {@code IdentityFile} or {@code CertificateFile} given as an
     * option, to any program ({@code rsync -e 'ssh -o IdentityFile=k'}, the string read again); a credential store's
     * {@code --file}. Over-inclusive: every simple command that names such a program anywhere.
     */
    private void keys(List<CommandWords.Word> split) {
        int start = 0;
        while (start < split.size()) {
            int end = start;
            while (end < split.size() && split.get(end).command() == split.get(start).command()) {
                end++;
            }
            boolean ssh = false; // after an ssh program's name ('rsync -i -e ssh': rsync's -i itemizes)
            boolean sshAdd = false;
            boolean publicKeyOperands = false; // 'ssh-add -T KEY.pub', 'ssh-add -d KEY.pub': its operands are public keys (RT8-FP3)
            boolean store = false;
            Set<String> sshArguments = Set.of(); // the options of this command's program that hand ssh its options
            for (int i = start; i < end; i++) {
                String text = split.get(i).text();
                String name = sshProgram(nameOf(text));
                Set<String> options = sshArgumentOptions(name);
                if (options != null && (split.get(i).commandPosition() || i == start)) {
                    sshArguments = options;
                }
                int equals = text.indexOf('=');
                if (sshArguments.contains(text) && i + 1 < end) {
                    readCommand.accept("ssh " + split.get(i + 1).text());
                } else if (equals > 0 && sshArguments.contains(text.substring(0, equals))) {
                    readCommand.accept("ssh " + text.substring(equals + 1));
                }
                // ssh named as rsync's remote shell ('rsync -e ssh -ai DIR'): rsync's own options follow, not ssh's
                boolean remoteShell = i > start && REMOTE_SHELL_OPTIONS.contains(split.get(i - 1).text());
                ssh |= SSH_PROGRAMS.contains(name) && !remoteShell;
                sshAdd |= name.equals("ssh-add");
                // -d's operands are public key files too (re-attack RT9-FP3)
                publicKeyOperands |= sshAdd && (text.equals("-T") || text.equals("-d"));
                store |= CREDENTIAL_STORES.contains(name);
                if (SSH_PROGRAMS.contains(name) || CREDENTIAL_STORES.contains(name)) {
                    continue;
                }
                String next = i + 1 < end ? split.get(i + 1).text() : null;
                java.util.regex.Matcher option = KEY_OPTION.matcher(text);
                if (option.matches()) {
                    keys.add(option.group(1).strip());
                } else if (ssh && SSH_IDENTITY.matcher(text).matches()) {
                    // '-i key', '-ikey', '-Ai key': ssh's flags may come before it in one cluster
                    String glued = text.substring(text.indexOf('i') + 1);
                    if (!glued.isEmpty() || next != null) {
                        keys.add(glued.isEmpty() ? next : glued);
                    }
                } else if (store && text.equals("--file") && next != null) {
                    keys.add(next);
                } else if (store && text.startsWith("--file=")) {
                    keys.add(text.substring("--file=".length()));
                } else if (sshAdd && split.get(i).redirection() == CommandWords.Redirection.INPUT) {
                    keys.add(text); // 'ssh-add - < ~/w/deploy_key': the key on its standard input (outside attack RT8-2)
                } else if (sshAdd && !publicKeyOperands && !text.startsWith("-") && !split.get(i).redirectionTarget()) {
                    keys.add(text); // 'ssh-add ~/w/deploy_key'
                }
            }
            for (int i = start; sshAdd && i < end; i++) {
                if (split.get(i).redirection() == CommandWords.Redirection.INPUT) {
                    keys.add(split.get(i).text()); // '<KEY ssh-add -': the redirection before the program (re-attack RT9-1)
                }
            }
            if (sshAdd && split.get(start).inputGiven() && start > 0) {
                // its standard input given by the command before it: what that command reads is the key
                // ('base64 -d KEY | ssh-add -', 'gpg -d KEY | ssh-add -': outside attack RT8-2)
                int before = split.get(start - 1).command();
                for (int i = firstOf(split, start - 1); i < start && split.get(i).command() == before; i++) {
                    CommandWords.Word word = split.get(i);
                    if (!word.commandPosition() && !word.text().startsWith("-")
                            && word.redirection() != CommandWords.Redirection.OUTPUT) {
                        keys.add(word.text());
                    }
                }
            }
            start = end;
        }
    }

    /** The index of the first word of word {@code i}'s simple command. */
    static int firstOf(List<CommandWords.Word> split, int i) {
        int first = i;
        while (first > 0 && split.get(first - 1).command() == split.get(i).command()) {
            first--;
        }
        return first;
    }

    /**
     * A path that names a config file the host's git, aws, ssh or shell reads (over-inclusive): an include target named
     * after {@code .gitconfig} ({@code ~/.gitconfig.local}), anything in {@code ~/.config} ({@code cp -r git
     * ~/.config/}), a shell's start-up files (red team, round 44, F7-F9); also what bash's default {@code .bashrc}
     * sources ({@code ~/.bash_aliases}), other shells', editors' and language tools' start-up files, Python's
     * {@code .pth} files and {@code sitecustomize.py}, {@code ~/.local/bin} (round 45, F6).
     */
    private static final Pattern CONFIG_FILE = Pattern.compile("(?:^|/)(?:\\.gitconfig[^/]*|config|config\\.worktree"
            + "|credentials|alias|\\.bashrc|\\.bash_profile|\\.bash_login|\\.bash_logout|\\.bash_aliases|\\.profile"
            + "|\\.zshrc|\\.zshenv|\\.zprofile|\\.zlogin|\\.zlogout|\\.kshrc|\\.mkshrc|\\.cshrc|\\.tcshrc|\\.login"
            + "|\\.logout|\\.envrc|\\.inputrc|\\.vimrc|\\.gvimrc|\\.exrc|\\.emacs|\\.npmrc|\\.yarnrc|\\.gemrc|\\.irbrc"
            + "|\\.pryrc|\\.pythonrc(?:\\.py)?|\\.Rprofile|\\.tmux\\.conf|\\.screenrc|\\.xinitrc|\\.xprofile|\\.xsession"
            + "|\\.curlrc|\\.wgetrc|[^/]*\\.pth|sitecustomize\\.py|usercustomize\\.py)$"
            + "|(?:^|/)\\.(?:git|aws|ssh|config|gnupg|vim|emacs\\.d|kube|docker|m2|cargo)(?:/|$)|(?:^|/)\\.local/bin(?:/|$)");

    /** A target directory glued to its option in a cluster ({@code cp -vt.git/hooks}). */
    private static final Pattern GLUED_TARGET = Pattern.compile("-[A-Za-z]*t.+");

    /** tar's letters or option cluster that extract ({@code xf}, {@code -xzf}). */
    private static final Pattern TAR_EXTRACT = Pattern.compile("-?[A-Za-z]*x[A-Za-z]*");

    /** Programs that extract archives. */
    private static final Set<String> EXTRACTORS = Set.of("unzip", "bsdtar", "7z", "7za", "unrar", "cpio", "pax", "ar");

    /** Whether the tar at word {@code i} extracts: an {@code x} in its first word's letters, or {@code --extract}, {@code --get}. */
    private static boolean extracts(List<CommandWords.Word> split, int i) {
        for (int j = i + 1; j < split.size() && split.get(j).command() == split.get(i).command(); j++) {
            String w = split.get(j).text();
            if (w.equals("--extract") || w.equals("--get")
                    || (j == i + 1 || w.startsWith("-")) && TAR_EXTRACT.matcher(w).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Programs that write files their arguments name. */
    private static final Set<String> WRITES_ITS_ARGUMENTS = Set.of("tee", "cp", "mv", "install", "ln", "dd", "sed", "perl",
            "rsync", "sponge", "patch", "truncate", "curl", "wget");

    /**
     * A simple command whose standard input the string gives ({@code … | prog}, {@code prog < f}): its program
     * must be one known to read only text ({@link Interpreters#TEXT_READERS}); any other may read it as code or
     * commands that compute the paths they run (red team, round 34, F2: the general rule, where lists of such
     * programs kept missing some). Its name is its first word that is no reserved word, wrapper or assignment.
     */
    private void readsGivenInput(List<CommandWords.Word> split, int from, int to) {
        int i = programOf(split, from, to);
        if (i == to) {
            return; // reserved words and assignments only
        }
        String name = nameOf(split.get(i).text());
        if (!Interpreters.TEXT_READERS.contains(name) || name.equals("git") && !gitReadsText(split, i + 1, to)) {
            unknown.add(name + ", given its standard input by the string (a pipe or a '<'), which it may read as"
                    + " code or commands: only programs known to read text are read as safe there");
        } else if (name.equals("xargs")) {
            xargsCommand(split, i + 1, to);
        }
    }

    /** The index of a simple command's program in {@code [from, to)}: its first word that is no reserved word, wrapper or assignment; {@code to} when none. */
    static int programOf(List<CommandWords.Word> split, int from, int to) {
        int i = from;
        while (i < to && (CommandWords.RESERVED.contains(split.get(i).text())
                || ASSIGNMENT.matcher(split.get(i).text()).matches())) {
            i++;
        }
        return i;
    }

    static String nameOf(String word) {
        return word.substring(word.lastIndexOf('/') + 1);
    }

    /**
     * A variable set in the string whose name says it names a file or directory a program reads (its config, its
     * home, its data or plug-ins — {@code AWS_PROFILE} is no {@code _FILE}: {@code AWS_CONFIG_FILE=awscfg aws …}, {@code KUBECONFIG=kc kubectl},
     * {@code OPENSSL_CONF}, {@code LUA_INIT}, {@code GNUPGHOME}, {@code PATH=bin:…}) and whose value is relative:
     * the file lies where the program runs and could be written there (red team, round 35, F1). An absolute value is
     * a word of its own, named as one.
     */
    private static final Pattern NAMES_A_FILE = Pattern.compile(
            "(?i)(?:.*_)?FILES?|.*(?:PATH|CONF|CONFIG|CFG|HOME|DIR|RC|INIT|KEYIN|PLUGINS?|MODULES?|LIB|ROOT|PREFIX)");

    private void fileVariable(String name, String value) {
        // an environment variable's value may be a list (PATH=bin:/usr/bin, upper or lower case); a word such as ssh's
        // '-o ControlPath=~/.ssh/cm-%r@%h:%p' (a keyword of mixed case, which no program takes from the environment)
        // names one path, whose ':' is no separator (outside attack RT8, FP1: its '%p' was read as a relative entry,
        // and every working directory was kept read-only)
        boolean list = name.equals(name.toUpperCase(java.util.Locale.ROOT)) || name.equals(name.toLowerCase(java.util.Locale.ROOT));
        for (String entry : list ? value.split(":", -1) : new String[] {value}) {
            if (!entry.startsWith("/") && !entry.startsWith("~") && (!entry.isEmpty() || value.indexOf(':') >= 0)) {
                unknown.add(name + "=" + value + " set by the command itself, which names a file or directory a"
                        + " program reads where it runs");
                return;
            }
        }
    }

    /** xargs's options that take a value as the next word. */
    private static final Set<String> XARGS_VALUES = Set.of("-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s",
            "--arg-file", "--delimiter", "--max-lines", "--max-args", "--max-procs", "--max-chars", "--process-slot-var");

    /**
     * The command xargs runs with the words its standard input or its {@code -a} file gives: they may be options, and
     * options run code
     * for many programs ({@code git -c core.hooksPath=…}, {@code env sh x.sh}, {@code find -exec}, {@code sort
     * --compress-program}, {@code tar --to-command}): only a command whose options run nothing, or git after its
     * subcommand, is read as safe (red team, round 34, F2: the general rule).
     */
    private void xargsCommand(List<CommandWords.Word> split, int from, int to) {
        int j = from;
        while (j < to && split.get(j).text().startsWith("-")) {
            String option = split.get(j).text();
            j += XARGS_VALUES.contains(option) ? 2 : 1;
        }
        if (j >= to) {
            return; // echo
        }
        String command = nameOf(split.get(j).text());
        // git only with a subcommand whose options run nothing ('xargs git grep' took '-O./x.sh' as a pager: red
        // team, round 36, F3)
        boolean gitSubcommand = command.equals("git") && j + 1 < to
                && GIT_TAKES_ANY_WORDS.contains(split.get(j + 1).text());
        if (!gitSubcommand && !TAKES_ANY_WORDS.contains(command)) {
            unknown.add("xargs " + command + ", given words by the string's standard input, which may be options that"
                    + " run code");
        } else if ((READS_FILES.contains(command) || gitSubcommand) && writesFiles(split)) {
            unknown.add("xargs " + command + ", given words by the string's standard input, which may name any file the"
                    + " host can read, into a file the string writes");
        }
    }

    /**
     * git's subcommands whose options run nothing, write no file outside the repository, take no pager and read no
     * file into the repository: they take any words harmlessly. Not {@code tag}: {@code tag -a -F FILE} copies any file the
     * host can read into a tag the sandbox reads (red team, round 39, F13).
     */
    private static final Set<String> GIT_TAKES_ANY_WORDS = Set.of("branch", "add", "rm", "restore", "checkout", "switch");

    /** Whether {@code split} writes a file: a redirection other than to {@code /dev/null} or a descriptor, or {@code tee}. */
    private static boolean writesFiles(List<CommandWords.Word> split) {
        return split.stream().anyMatch(w -> w.redirection() == CommandWords.Redirection.OUTPUT && !w.text().equals("/dev/null")
                && !w.text().matches("[0-9-]+") || w.commandPosition() && nameOf(w.text()).equals("tee"));
    }

    /** Of {@link #TAKES_ANY_WORDS}, those that print what the files their words name hold. */
    private static final Set<String> READS_FILES = Set.of("cat", "head", "tail", "grep");

    /**
     * git's subcommands that read their standard input as data only: not {@code apply} or {@code am} (a patch writes
     * the working tree, a file the planner keeps included: red team, round 36, F6), nor {@code fast-import},
     * {@code update-index}, {@code credential} and the others that act on it.
     */
    private static final Set<String> GIT_READS_TEXT = Set.of("cat-file", "hash-object", "check-ignore", "check-attr",
            "check-ref-format", "rev-list", "name-rev", "diff-tree", "log", "show", "shortlog", "stripspace");

    /** Whether git's subcommand (after its own options, {@code -c X} and {@code -C X} taking a word) is one of those. */
    private static boolean gitReadsText(List<CommandWords.Word> split, int from, int to) {
        int j = from;
        while (j < to && split.get(j).text().startsWith("-")) {
            String option = split.get(j).text();
            if (!GIT_INPUT_OPTIONS.contains(option)) {
                return false; // '--namespace log': an option whose value is the next word hides the subcommand (round 37, F5)
            }
            j += option.equals("-c") || option.equals("-C") ? 2 : 1;
        }
        // or one that reads no input at all and takes any words harmlessly ('… | while read b; do git branch -d "$b"')
        return j < to && (GIT_READS_TEXT.contains(split.get(j).text()) || GIT_TAKES_ANY_WORDS.contains(split.get(j).text()));
    }

    /** git's own options before a subcommand that is given the string's input: {@code -c X}, {@code -C X}, no pager. */
    private static final Set<String> GIT_INPUT_OPTIONS = Set.of("-c", "-C", "-P", "--no-pager");

    /**
     * Which words of {@code split} are arguments of a program that takes any words harmlessly: one whose options
     * run nothing, load nothing and write nothing ({@link #TAKES_ANY_WORDS}, {@link #SHELL_TESTS}), or git with
     * such a subcommand (after it). Not a program's own name, nor what comes before it. One pass, a simple command
     * at a time.
     */
    static boolean[] takesAnyWords(List<CommandWords.Word> split) {
        boolean[] harmless = new boolean[split.size()];
        // where the string writes a file (a redirection other than to /dev/null or a descriptor, tee), what a reader
        // of files prints can land where the sandbox reads it: 'for f in $(cat .files); do cat $f; done > out' copies
        // any file the host can read, an ssh key, into the working directory (red team, round 39, F13)
        boolean writesFiles = writesFiles(split);
        int start = 0;
        while (start < split.size()) {
            int end = start;
            while (end < split.size() && split.get(end).command() == split.get(start).command()) {
                end++;
            }
            int p = programOf(split, start, end);
            if (p < end) {
                String name = nameOf(split.get(p).text());
                // git's errors print what --pathspec-from-file=F reads: not where the string writes a file (round 40, F8)
                boolean git = name.equals("git") && p + 1 < end && GIT_TAKES_ANY_WORDS.contains(split.get(p + 1).text())
                        && !writesFiles;
                // not export, local, readonly, declare, read: a computed 'PATH=.:…' or variable name sets what runs
                // next (red team, round 37, F1)
                boolean any = TAKES_ANY_WORDS.contains(name) && !(writesFiles && READS_FILES.contains(name))
                        || SHELL_TESTS.contains(name);
                for (int j = git ? p + 2 : p + 1; (git || any) && j < end; j++) {
                    // not what a redirection opens: 'cat t > $f' writes where a planted word says (red team, round 39, F6)
                    harmless[j] = !split.get(j).redirectionTarget();
                }
            }
            start = end;
        }
        return harmless;
    }

    /**
     * The shell's builtins that take any words harmlessly. Not {@code test}, {@code [} nor {@code printf}: bash's
     * {@code test -v NAME} and {@code printf -v NAME} evaluate an index in NAME, which runs a {@code $(…)} in it, and
     * an unquoted computed word can be the {@code -v} ({@code [ $x = on ]} with x {@code -v a[$(cmd)]}: red team,
     * round 39, F2).
     */
    private static final Set<String> SHELL_TESTS = Set.of("true", "false", ":");

    /**
     * Commands whose options and arguments, from xargs or a computed variable, run nothing, load nothing and write
     * nothing: not {@code cp}, {@code mv}, {@code ln}, {@code chmod}, {@code touch}, {@code mkdir}, {@code rm}
     * ({@code cp planted .git/hooks/pre-commit}, with the words from a planted list, writes code the host runs).
     */
    private static final Set<String> TAKES_ANY_WORDS = Set.of("echo", "ls", "stat", "basename", "dirname",
            "realpath", "readlink", "cat", "head", "tail", "wc", "grep", "file", "du");

    private void scanCommand(List<CommandWords.Word> split, int from, int to, boolean[] script) {
        List<String> findStarts = null;
        boolean xargs = false;
        for (int i = from; i < to; i++) {
            CommandWords.Word word = split.get(i);
            String text = word.text();
            String name = text.substring(text.lastIndexOf('/') + 1);
            if (DIRECTORY_OPTIONS.contains(text) || text.startsWith("--chdir") || text.startsWith("--directory")
                    || GLUED_DIRECTORY.matcher(text).matches()) {
                changesDirectory = true; // env -C, make -C, git -C, find -execdir: what follows runs elsewhere
            }
            if (Interpreters.COMMAND_READERS.matcher(name).matches()) {
                // programs whose commands (from their standard input or their words) run shell commands or load
                // code: psql's \!, mysql's system, sftp's !, gnuplot's system, crontab (red team, round 34, F2)
                unknown.add(name + ", whose commands (from its standard input or its words) can run anything");
            }
            if (text.startsWith("ext::")) {
                readCommand.accept(text.substring(5)); // git's ext:: transport runs the rest (red team, round 32, F3)
            }
            if (name.equals("find") && findStarts == null) {
                findStarts = new ArrayList<>();
                int j = i + 1;
                for (; j < to && !split.get(j).text().startsWith("-") && !split.get(j).text().equals("!")
                        && !split.get(j).text().equals("("); j++) {
                    findStarts.add(split.get(j).text());
                }
                if (findStarts.isEmpty()) {
                    findStarts.add(".");
                }
                i = j - 1;
            } else if (findStarts != null && FIND_ACTIONS.contains(text)) {
                if (i + 1 < to && split.get(i + 1).text().contains("{}")) {
                    directories.addAll(findStarts); // find . -exec {} \; runs every file it finds
                }
            } else if (name.startsWith("git-") && PLUMBING_TRANSPORTS.contains(name.substring(4))) {
                unknown.add(name + ", which talks to a repository this reader does not follow");
            } else if (name.equals("git")) {
                i = scanGit(split, i + 1, to);
            } else if (name.equals("xargs")) {
                xargs = true;
            } else if (name.equals("run-parts")) {
                // run-parts DIR runs every file in DIR (round 27, F7)
                int j = i + 1;
                while (j < to && split.get(j).text().startsWith("-")) {
                    j++;
                }
                if (j < to) {
                    directories.add(split.get(j).text());
                }
                i = j;
            } else if (Interpreters.PROJECT_RUNNERS.contains(name)) {
                // anywhere in the command, not only first: 'CFLAGS=-O2 make', 'strace -f make', 'setpriv … make'
                // (red team, round 32, F4: wrappers are too many to list); an argument named so costs the same
                directories.add("."); // make, npx: the working directory's Makefile, package.json, node_modules run
                for (int j = i + 1; j < to; j++) {
                    if (split.get(j).text().startsWith("-")) {
                        // make -Cproj, npm --prefix=proj, make -f proj/Makefile, terraform -chdir=proj: a runner's
                        // options may move it or name what it loads, each runner its own way (round 31, F2)
                        changesDirectory = true;
                        break;
                    }
                }
            } else if (!(text.equals(".") || text.equals("source")) || word.commandPosition()) {
                Optional<Interpreters> interpreter = Interpreters.of(text);
                if (interpreter.isPresent()) {
                    i = scanInterpreter(interpreter.get(), name, split, i + 1, to, script, findStarts, xargs);
                }
            }
        }
    }

    /** An interpreter's words from {@code from}: marks its script; the index of the last word it took. */
    private int scanInterpreter(Interpreters interpreter, String program, List<CommandWords.Word> split, int from, int to,
                                boolean[] script, List<String> findStarts, boolean xargs) {
        if (program.equals("ed") || program.equals("red")) {
            // its commands come from the standard input ('ed < y') and run shell text ('!'): what it runs cannot be
            // known (red team, round 33, F2); sqlite3 is one of Interpreters.COMMAND_READERS (scanCommand)
            unknown.add(program + ", whose commands (from its standard input) run shell commands");
            return to - 1;
        }
        if (interpreter == Interpreters.VIM && (program.equals("ex") || split.subList(from, to).stream()
                .map(CommandWords.Word::text).anyMatch(w -> w.matches("-[A-Za-z]*[eEs][A-Za-z]*")))) {
            // Ex mode reads commands from the standard input, -s reads keys from a file (round 33, F2)
            unknown.add("vim in Ex mode or with -s, whose commands come from its standard input or a file of keys");
            return to - 1;
        }
        // only what the command says itself keeps the working directory off the path: PYTHONSAFEPATH in our
        // environment is not the later program's, and -E ignores it (round 27, F9)
        boolean safe = false;
        boolean classPath = false; // java: a class path given (else it is the working directory)
        for (int j = from; j < to; j++) {
            String w = split.get(j).text();
            if (w.contains("{}") && (findStarts != null || xargs)) {
                if (findStarts != null) {
                    directories.addAll(findStarts); // find . -exec sh {} \; runs every file it finds
                } else {
                    unknown.add("the file xargs gives " + w + " in the word " + w);
                }
                return j;
            }
            if (Interpreters.namesDescriptor(w) || w.equals("-s") && interpreter == Interpreters.SHELL) {
                break; // its standard input: 'sh /dev/stdin < x.sh' (round 27, F8)
            }
            if (w.startsWith("+") && interpreter == Interpreters.VIM) {
                // vim '+so x.vim': a command as -c gives one (red team, round 32, F5)
                unknown.add("the vim command " + w + ", which may compute the paths it runs");
                continue;
            }
            if (w.startsWith("-") || w.startsWith("+") && interpreter.values().contains(w)) {
                if (interpreter == Interpreters.SHELL && interpreter.code().contains(w) && j + 1 < to) {
                    readCommand.accept(split.get(j + 1).text()); // sh -c make: one word is a command too (round 32, F4)
                }
                if (interpreter.code().contains(w) || interpreter.module().contains(w)) {
                    return laterScripts(interpreter, program, split, codeMode(interpreter, interpreter.code().contains(w),
                            w, safe, j + 1), to, script);
                }
                if (interpreter.scripts().contains(w) && j + 1 < to) {
                    script[++j] = true;
                    scriptFromInput(program, split.get(j).text());
                    if (interpreter == Interpreters.SSH && w.equals("-F")) {
                        configs.add(split.get(j).text());
                    }
                } else if (interpreter.libraries().contains(w) && j + 1 < to) {
                    library(split.get(++j).text());
                    classPath = true;
                } else if (interpreter.values().contains(w)) {
                    j++;
                } else if (glued(interpreter.scripts(), w) instanceof Optional<String> s && s.isPresent()) {
                    scripts.add(s.get()); // awk -fprog.awk, --rcfile=rc (round 27, F2)
                    scriptFromInput(program, s.get());
                    if (interpreter == Interpreters.SSH && w.startsWith("-F")) {
                        configs.add(s.get()); // ssh -Fcfg
                    }
                } else if (glued(interpreter.libraries(), w) instanceof Optional<String> l && l.isPresent()) {
                    library(l.get()); // perl -Ilib, perl -Mlib=lib
                    classPath = true;
                } else if (glued(interpreter.code(), w) instanceof Optional<String> c && c.isPresent()
                        && !w.matches("-[A-Za-z]{2,}")) {
                    // perl -e1, python3 -cprint(1): the code is glued
                    return laterScripts(interpreter, program, split, codeMode(interpreter, true, w, safe, j), to, script);
                } else if (interpreter.safePath(w)) {
                    safe = true;
                } else if (w.matches("-[A-Za-z]{2,}")) {
                    // a cluster of short options: bash -euo pipefail, python3 -Bc 'code', perl -ne '…'
                    for (int k = 1; k < w.length(); k++) {
                        String option = "-" + w.charAt(k);
                        boolean last = k == w.length() - 1;
                        if (interpreter.takesRestOfWord(w.charAt(k))) {
                            break; // perl -MCred: a module's name, not options
                        }
                        if (interpreter.code().contains(option) || interpreter.module().contains(option)) {
                            return laterScripts(interpreter, program, split, codeMode(interpreter,
                                    interpreter.code().contains(option), w, safe, last ? j + 1 : j), to, script);
                        }
                        if (interpreter.values().contains(option)) {
                            j += last ? 1 : 0;
                            break;
                        }
                        if (interpreter.scripts().contains(option)) {
                            if (!last) {
                                scripts.add(w.substring(k + 1));
                            } else if (j + 1 < to) {
                                script[++j] = true;
                            }
                            break;
                        }
                    }
                }
                continue;
            }
            if (interpreter == Interpreters.JAVA) {
                if (w.endsWith(".java")) {
                    script[j] = true; // the single-file launcher: java Cred.java (round 27, F7)
                } else if (!classPath) {
                    directories.add("."); // a class found on the default class path: the working directory
                }
                return j;
            }
            if (!interpreter.firstWordIsCode()) {
                script[j] = true;
            } else if (interpreter == Interpreters.AWK && Interpreters.awkRuns(w)) {
                unknown.add("an awk program that runs commands (system, a pipe, @include) or reads a file (getline <),"
                        + " which may compute the paths it runs: " + w);
            }
            return j;
        }
        // no file: it runs what its standard input gives
        if (xargs) {
            unknown.add("an interpreter that runs the files xargs gives it");
        } else {
            // only a shell's or a language's standard input is a script: ssh given no host, an editor, a pager read
            // none ('ssh -i k -o IdentitiesOnly=yes' made the word IdentitiesOnly=yes a script: false positive)
            readsStandardInput = interpreter == Interpreters.SHELL || Interpreters.stdinIsCode(program);
            if (Interpreters.stdinIsCode(program)) {
                // 'echo "import os; …" | python3': the program is text elsewhere in the string (round 31, F1)
                unknown.add("a program given to an interpreter on its standard input, which may compute the paths"
                        + " it runs");
            }
        }
        if (interpreter.cwdIsCode() && !safe) {
            directories.add(".");
        }
        return to;
    }

    /**
     * After code given inline, the script files the rest of the words still name: sed and gawk run every {@code -e} and
     * {@code -f} in order ({@code sed -e 1d -f fmt.sed} ran fmt.sed's {@code e} command: red team, round 43, F11).
     * Over-inclusive for a language whose later words are its code's arguments. Returns {@code last}.
     */
    private int laterScripts(Interpreters interpreter, String program, List<CommandWords.Word> split, int last, int to,
                             boolean[] script) {
        for (int j = last + 1; j < to; j++) {
            String w = split.get(j).text();
            if (interpreter.scripts().contains(w) && j + 1 < to) {
                script[++j] = true;
                scriptFromInput(program, split.get(j).text());
            } else if (glued(interpreter.scripts(), w) instanceof Optional<String> s && s.isPresent()) {
                scripts.add(s.get());
                scriptFromInput(program, s.get());
            } else if (w.matches("-[A-Za-z]{2,}")) {
                for (int k = 1; k < w.length(); k++) {
                    if (interpreter.scripts().contains("-" + w.charAt(k))) {
                        if (k < w.length() - 1) {
                            scripts.add(w.substring(k + 1)); // -nfscript
                        } else if (j + 1 < to) {
                            script[++j] = true; // -nf script
                        }
                        break;
                    }
                }
            }
        }
        return last;
    }

    /** A script option given the standard input ({@code sed -f -}, {@code awk -f /dev/stdin}): its program is input. */
    private void scriptFromInput(String program, String file) {
        if (Interpreters.namesDescriptor(file)) {
            unknown.add(program + " given its program on its standard input (" + file + "), which may compute the paths"
                    + " it runs");
        }
    }

    /**
     * git's own options that place its metadata or its programs (red team, round 29, F2, F3): {@code --git-dir},
     * {@code --work-tree}, {@code --exec-path} name directories whose hooks, config and {@code git-*} programs run
     * (a relative one is taken where git runs, like a relative script); {@code -c KEY=VALUE} is read as a config
     * entry — a path key's value ({@code core.hooksPath=hk}) is a directory of code, a command key's value
     * ({@code alias.z=!sh z.sh}, {@code core.sshCommand=…}) a command. The index of the last word taken.
     */
    private int scanGit(List<CommandWords.Word> split, int from, int to) {
        int j = from;
        for (; j < to && (split.get(j).text().startsWith("-") || split.get(j).redirectionTarget()); j++) {
            String w = split.get(j).text();
            if (split.get(j).redirectionTarget()) {
                continue; // 'git 2>/dev/null -c …': a redirection may stand anywhere (red team, round 43, F9)
            }
            int equals = w.indexOf('=');
            String option = equals < 0 ? w : w.substring(0, equals);
            if (GIT_PLACES.contains(option)) {
                String value = equals >= 0 ? w.substring(equals + 1) : j + 1 < to ? split.get(++j).text() : "";
                library(value);
            } else if (w.equals("-c") && j + 1 < to) {
                configEntry(split.get(++j).text());
            } else if (option.equals("--config-env")) {
                // --config-env=KEY=ENVVAR: the entry's value is ENVVAR's (round 30, F1)
                String entry = equals >= 0 ? w.substring(equals + 1) : j + 1 < to ? split.get(++j).text() : "";
                int at = entry.indexOf('=');
                String variable = at < 0 ? null : this.variable.apply(entry.substring(at + 1));
                if (at > 0 && variable != null) {
                    configEntry(entry.substring(0, at) + "=" + variable);
                } else if (at > 0) {
                    unknown.add("the git config entry " + entry + ", whose value comes from a variable not known here");
                }
            } else if (w.equals("-C") && j + 1 < to) {
                changesDirectory = true; // git -C DIR: what follows runs in DIR
                // and DIR's repository is git's: its .git, hooks and config run, also one the command makes there
                // before (red team, round 45, F7: '!git -C public commit' with public/ missing at plan time)
                String dir = split.get(++j).text();
                if (!dir.isEmpty() && !dir.equals(".")) {
                    directories.add(dir);
                }
            } else if (GIT_VALUE_OPTIONS.contains(option) && equals < 0) {
                j++; // '--namespace x': its value, not the subcommand (red team, round 43, F9)
            } else if (!GIT_VALUE_OPTIONS.contains(option) && !GIT_FLAGS.contains(w)) {
                // an option not known here may take the next word as its value and hide the subcommand
                unknown.add("git's option " + w + ", not known here, which may hide what git runs");
                return to - 1;
            }
        }
        if (j < to) {
            subcommandOptions(split.get(j).text(), split, j + 1, to);
        }
        return j - 1;
    }

    /** git's own options that take a value (as the next word, or glued with {@code =}), other than those read above. */
    static final Set<String> GIT_VALUE_OPTIONS = Set.of("--namespace", "--super-prefix", "--shallow-file",
            "--attr-source", "--list-cmds");

    /** git's own options that take no value. */
    private static final Set<String> GIT_FLAGS = Set.of("-p", "--paginate", "-P", "--no-pager", "--bare",
            "--no-replace-objects", "--literal-pathspecs", "--glob-pathspecs", "--noglob-pathspecs",
            "--icase-pathspecs", "--no-optional-locks", "--no-advice", "--no-lazy-fetch", "--exec-path", "--html-path",
            "--man-path", "--info-path", "--version", "-v", "--help", "-h");

    /**
     * The options of git's subcommands that place code or run a command (found writing round 30's
     * end-to-end tests): {@code --template} (clone, init: the template's hooks are copied and run) and
     * {@code --separate-git-dir} name directories of code; {@code clone -c}/{@code --config KEY=VALUE}
     * is a config entry as {@code git -c} is ({@code core.hooksPath=hk}: clone looks up
     * {@code hk/reference-transaction} where it is started); {@code --upload-pack}, {@code --receive-pack},
     * {@code --exec}, {@code clone -u}, {@code rebase -x} and {@code grep -O<pager>} are commands.
     */
    private void subcommandOptions(String subcommand, List<CommandWords.Word> split, int from, int to) {
        if (PLUMBING_TRANSPORTS.contains(subcommand)) {
            // 'git send-pack DIR', 'git receive-pack DIR': a push into a repository here, whose hooks and config run,
            // by a command this reader does not follow (red team, round 44, F2)
            unknown.add("git " + subcommand + ", which talks to a repository this reader does not follow");
        }
        if (subcommand.equals("config")) {
            gitConfigCommand(split, from, to);
        } else if (subcommand.equals("remote")) {
            gitRemoteCommand(split, from, to);
        }
        if (subcommand.equals("submodule") && split.subList(from, to).stream().anyMatch(w -> w.text().equals("foreach"))) {
            changesDirectory = true; // its command runs in each submodule's directory (red team, round 33, F4)
        }
        for (int k = from; k < to; k++) {
            String w = split.get(k).text();
            if (w.equals("--")) {
                return;
            }
            int equals = w.indexOf('=');
            String option = w.startsWith("--") && equals > 0 ? w.substring(0, equals) : w;
            boolean glued = !option.equals(w);
            java.util.function.Supplier<String> value = () -> glued ? w.substring(equals + 1) : "";
            String v;
            if (SUBCOMMAND_DIRECTORIES.contains(option)) {
                v = glued ? value.get() : k + 1 < to ? split.get(++k).text() : "";
                library(v);
            } else if (subcommand.equals("clone") && (option.equals("--config") || option.equals("-c"))) {
                v = glued ? value.get() : k + 1 < to ? split.get(++k).text() : "";
                configEntry(v);
            } else if (subcommand.equals("clone") && w.startsWith("-c") && w.length() > 2 && !w.startsWith("--")) {
                configEntry(w.substring(2)); // -ccore.hooksPath=hk
            } else if (subcommand.equals("grep") && (w.startsWith("-O") && w.length() > 2
                    || option.equals("--open-files-in-pager") && glued)) {
                // git grep -O<pager>: its value only glued, a command git runs on the files found (red team, round 39, F14)
                readCommand.accept(w.startsWith("-O") ? w.substring(2) : value.get());
            } else if (SUBCOMMAND_COMMANDS.contains(option) || subcommand.equals("clone") && option.equals("-u")
                    || subcommand.equals("rebase") && option.equals("-x")) {
                v = glued ? value.get() : k + 1 < to ? split.get(++k).text() : "";
                readCommand.accept(v);
            }
        }
    }

    /** git's plumbing that pushes to, fetches from or serves a repository, and its transports that run commands. */
    private static final Set<String> PLUMBING_TRANSPORTS = Set.of("send-pack", "receive-pack", "upload-pack",
            "upload-archive", "fetch-pack", "shell", "remote-ext", "remote-fd", "http-push", "daemon");

    /** Options of git's subcommands that name a directory of code. */
    private static final Set<String> SUBCOMMAND_DIRECTORIES = Set.of("--template", "--separate-git-dir");

    /** Long options of git's subcommands whose value is a command git runs. */
    private static final Set<String> SUBCOMMAND_COMMANDS = Set.of("--upload-pack", "--receive-pack", "--exec");

    /**
     * {@code git config KEY VALUE} (or {@code git config set KEY VALUE}) in a command string: the value lands in a
     * config git reads later, read as {@code -c KEY=VALUE} is ({@code git config core.hooksPath .githooks; git commit}:
     * red team, round 42, F5). A read ({@code --get}, {@code -l}, one word) or an edit by hand sets nothing. Its options
     * are read as git's parse-options reads them: {@code --} ends them, an option that takes a value takes the next
     * word, and one not known here (a cluster such as {@code -zt path}) fails closed (round 43, F2, F6).
     */
    private void gitConfigCommand(List<CommandWords.Word> split, int from, int to) {
        List<String> operands = new java.util.ArrayList<>();
        boolean options = true;
        for (int k = from; k < to; k++) {
            String w = split.get(k).text();
            if (split.get(k).redirectionTarget()) {
                continue;
            }
            if (options && w.equals("--")) {
                options = false;
                continue;
            }
            if (options && w.startsWith("-") && w.length() > 1) {
                String option = w.startsWith("--") && w.indexOf('=') > 0 ? w.substring(0, w.indexOf('=')) : w;
                if (CONFIG_READS.contains(option) || option.startsWith("--get") || option.startsWith("--unset")) {
                    return;
                }
                if (CONFIG_VALUE_OPTIONS.contains(option)) {
                    k += option.equals(w) ? 1 : 0;
                } else if (!CONFIG_FLAGS.contains(w)) {
                    unknown.add("git config with the option " + w + ", not known here, which may hide the entry it"
                            + " writes");
                    return;
                }
                continue;
            }
            operands.add(w);
        }
        if (!operands.isEmpty() && CONFIG_READS.contains(operands.getFirst())) {
            return; // git 2.46's 'git config get …', 'list', 'unset', 'edit'
        }
        if (!operands.isEmpty() && operands.getFirst().equals("set")) {
            operands.removeFirst();
        }
        if (operands.size() >= 2) {
            configEntry(operands.get(0) + "=" + operands.get(1));
        }
    }

    /** {@code git config}'s forms that write no entry: reads, removals, an edit by hand. */
    private static final Set<String> CONFIG_READS = Set.of("-l", "--list", "--remove-section", "--rename-section", "-e",
            "--edit", "get", "list", "unset", "remove-section", "rename-section", "edit", "-h", "--help");

    /** {@code git config}'s options that take a value. */
    private static final Set<String> CONFIG_VALUE_OPTIONS = Set.of("-f", "--file", "--blob", "-t", "--type", "--default",
            "--comment", "--value", "--url");

    /** {@code git config}'s options that take none. */
    private static final Set<String> CONFIG_FLAGS = Set.of("--global", "--system", "--local", "--worktree", "--add",
            "--replace-all", "--all", "--bool", "--int", "--bool-or-int", "--path", "--expiry-date", "-z", "--null",
            "--name-only", "--show-origin", "--show-scope", "--includes", "--no-includes", "--fixed-value", "--no-type",
            "--append", "--regexp");

    /**
     * {@code git remote add NAME URL} and {@code git remote set-url [--push] NAME URL} in a command string: the URL
     * lands in the repository's config as {@code remote.NAME.url} (or {@code pushurl}) does, read as that entry ({@code
     * !git remote add bk backup.git; git push --all bk} pushed into a repository the command planted: red team, round
     * 43, F1). Every operand after the name is taken as a URL (an option's value may shift them).
     */
    private void gitRemoteCommand(List<CommandWords.Word> split, int from, int to) {
        List<String> operands = new java.util.ArrayList<>();
        for (int k = from; k < to; k++) {
            String w = split.get(k).text();
            if (split.get(k).redirectionTarget()) {
                continue;
            }
            if (w.equals("-t") || w.equals("-m")) {
                k++;
            } else if (!w.startsWith("-")) {
                operands.add(w);
            }
        }
        if (operands.size() >= 3 && (operands.getFirst().equals("add") || operands.getFirst().equals("set-url"))) {
            for (String url : operands.subList(2, operands.size())) {
                configEntry("remote." + operands.get(1) + ".url=" + url);
            }
        }
    }

    /** {@code KEY=VALUE} of {@code git -c} as git reads it from a config file. */
    private void configEntry(String entry) {
        int equals = entry.indexOf('=');
        if (equals <= 0) {
            return;
        }
        String key = entry.substring(0, equals).toLowerCase(java.util.Locale.ROOT);
        String value = entry.substring(equals + 1);
        if (GitConfig.isFileKey(key) && SECRET_FILE_KEYS.contains(key.substring(key.lastIndexOf('.') + 1))) {
            keys.add(value); // 'git -c http.sslKey=/w/key fetch', 'git config http.sslKey …' (red team, round 45k, F2)
            if (value.startsWith(GitConfig.OPTIONAL_PREFIX)) { // and what git 2.52 reads (the review of RT29's fix, R4)
                keys.add(value.substring(GitConfig.OPTIONAL_PREFIX.length()));
            }
        }
        if (value.startsWith(GitConfig.OPTIONAL_PREFIX) && (GitConfig.PATH_KEYS.contains(key) || key.equals("include.path")
                || key.endsWith(".path") && key.startsWith("includeif.") || GitConfig.isFileKey(key))) {
            // which git reads it, and so where it leads, is not known (RT30, F1)
            unknown.add("git -c " + key + "=" + value + ", which git before 2.52 reads as a relative path");
            return;
        }
        if (GitConfig.PATH_KEYS.contains(key) || key.equals("include.path") || key.endsWith(".path") && key.startsWith("includeif.")) {
            library(value);
        } else if (GitConfig.isFileKey(key) && !value.startsWith("/")) {
            // 'git -c http.sslCAInfo=ca.pem push': a CA git trusts where it runs (red team, round 41, F5)
            unknown.add("git -c " + key + "=" + value + ", a file git trusts or sends, relative to where it runs");
        } else if (GitConfig.isCommandKey(key)) {
            // '!…' is shell for an alias and a credential helper alike (red team, round 32, F2)
            readCommand.accept(value.startsWith("!") ? value.substring(1) : value);
        } else if (GitConfig.localRepositoryKey(key)) {
            // 'git -c remote.origin.pushurl=backup.git push', 'git config url.bk.git.pushInsteadOf …': a repository on
            // this machine, whose hooks git runs on push and fetch, named whole as the config file's own are (red
            // team, round 43, F8); a remote's name ('branch.main.remote=origin') is named too: over-inclusive
            String url = key.startsWith("url.") ? entry.substring("url.".length(), key.lastIndexOf('.')) : value;
            if (url.indexOf('$') >= 0 || url.indexOf('`') >= 0
                    || url.strip().startsWith("~") && GitConfig.expandHome(url.strip(), Path.of("/")).isEmpty()) {
                // also '~nobody-here/../w/bk.git': a user /etc/passwd does not list (round 44, F1's rule)
                unknown.add("git -c " + entry + ", a repository that cannot be known here");
                return;
            }
            GitConfig.localRepository(url, Path.of("/"), Path.of("/")).ifPresent(local -> {
                String written = url.strip();
                String path = written.regionMatches(true, 0, "file://", 0, 7) ? local.toString() : written;
                if (!path.equals(".")) {
                    directories.add(path);
                    if (!path.endsWith(".git")) {
                        directories.add(path + ".git"); // git also tries the name with .git
                    }
                }
            });
        }
    }

    /** git's options that name where its metadata and programs are. */
    static final Set<String> GIT_PLACES = Set.of("--git-dir", "--work-tree", "--exec-path");

    /**
     * Code or a module instead of a file: where the interpreter finds modules in its working directory, that is
     * code; code itself, in any language but the shell's, is a program whose paths cannot be known here.
     */
    private int codeMode(Interpreters interpreter, boolean code, String option, boolean safe, int last) {
        if (code && interpreter.opaqueCode()) {
            // python3 -c "…os.environ['HOME'] + '/proj/c.py'…": a program may compute the paths it runs (round 31, F1)
            unknown.add("the code given with " + option + ", a program that may compute the paths it runs");
        }
        if (interpreter.cwdIsCode() && !safe) {
            directories.add("."); // python3 -c/-m: sys.path[0] is the working directory
        }
        return last;
    }

    /** A directory an interpreter loads code from ({@code -Ilib}, {@code -cp a:b}): each entry; an empty one is {@code .}. */
    private void library(String value) {
        for (String entry : value.split(":", -1)) {
            directories.add(entry.isEmpty() ? "." : entry);
        }
    }

    /** The value glued to one of {@code options} in {@code word} ({@code -Ilib}, {@code --rcfile=rc}), if any. */
    private static Optional<String> glued(Set<String> options, String word) {
        for (String option : options) {
            if (word.startsWith(option) && word.length() > option.length()) {
                String value = word.substring(option.length());
                value = option.startsWith("--") && value.startsWith("=") ? value.substring(1) : value;
                if (!option.startsWith("--") || word.charAt(option.length()) == '=') {
                    return value.isEmpty() ? Optional.empty() : Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The variables through which a program loads code (round 27, F1: {@code env PYTHONPATH=lib python3 …},
     * {@code export PERL5LIB=lib; perl …} in a command string): their directories, and their files.
     */
    private static final Set<String> CODE_DIRECTORY_VARIABLES = Set.of("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE",
            "LD_LIBRARY_PATH", "PERL5LIB", "PERLLIB", "NODE_PATH", "RUBYLIB", "GEM_PATH", "GEM_HOME", "CLASSPATH", "ZDOTDIR",
            // git's metadata and programs (round 29, F2, F3: GIT_DIR=meta git status ran meta's core.fsmonitor)
            "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_EXEC_PATH", "GIT_TEMPLATE_DIR", "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM", "GCONV_PATH", "AWKPATH", "AWKLIBPATH",
            // Python's library directory (outside test RT36, F10)
            "PYTHONPLATLIBDIR");
    private static final Set<String> CODE_FILE_VARIABLES = Set.of("BASH_ENV", "ENV", "PYTHONSTARTUP", "LD_PRELOAD",
            "LD_AUDIT");

    /**
     * Variables set in the string that give a program options or a new home, whose effect on what it loads
     * is each program's own (round 31, L2: {@code PERL5OPT=-Ilib}, {@code MAKEFLAGS=-Clib}, {@code HOME=lib git}):
     * unknown. Also the options and option files of the text readers that run commands: less's {@code LESS} and
     * lesskey files (a lesskey source's {@code LESSOPEN}: red team, round 39, F16), ripgrep's config ({@code --pre}),
     * fzf's options ({@code --preview}).
     */
    private static final Set<String> UNKNOWN_VARIABLES = Set.of("PERL5OPT", "RUBYOPT", "NODE_OPTIONS", "MAKEFLAGS",
            "MFLAGS", "GNUMAKEFLAGS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "HOME", "XDG_CONFIG_HOME",
            "LESS", "LESSKEY", "LESSKEYIN", "LESSKEY_SRC", "LESSKEYIN_SYSTEM", "RIPGREP_CONFIG_PATH", "FZF_DEFAULT_OPTS",
            "FZF_DEFAULT_OPTS_FILE", "FZF_DEFAULT_COMMAND", "TAR_OPTIONS",
            // a CA the program trusts (red team, round 41, F5: GIT_SSL_CAINFO=ca.pem git push); the other programs' CA
            // variables are the planner's (NamedFiles.namesATrustStore: red team, round RT15, F2)
            "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "AWS_CA_BUNDLE");

    /** Variables set in the string whose value is a command a program runs (git's editor, pager, ssh): read as one. */
    private static final Set<String> COMMAND_VARIABLES = Set.of("GIT_SSH_COMMAND", "GIT_SSH", "GIT_EDITOR",
            "GIT_SEQUENCE_EDITOR", "GIT_PAGER", "PAGER", "EDITOR", "VISUAL", "GIT_ASKPASS", "SSH_ASKPASS",
            "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF", "LESSOPEN", "LESSCLOSE", "MANPAGER", "SYSTEMD_PAGER", "BAT_PAGER",
            "DELTA_PAGER");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

    /** {@code NAME=value} for a code-loading variable: what it names runs (a relative entry where the program runs). */
    void codeVariable(String word) {
        java.util.regex.Matcher m = ASSIGNMENT.matcher(word);
        if (!m.matches()) {
            return;
        }
        if (m.group(1).equals("GIT_CONFIG_PARAMETERS") || m.group(1).equals("GIT_CONFIG_COUNT")
                || m.group(1).startsWith("GIT_CONFIG_KEY_") || m.group(1).startsWith("GIT_CONFIG_VALUE_")) {
            // config entries git takes from the environment, set by the command itself (round 30, F2, F3): not read here
            unknown.add("git config entries the command gives git itself (" + m.group(1) + ")");
            keys.add(UNKNOWN_KEY); // and one may be http.sslKey: a key whose path cannot be known (round 45k, F3)
            return;
        }
        if (SECRET_FILE_VARIABLES.contains(m.group(1))) {
            keys.add(m.group(2)); // '!GIT_SSL_KEY=/w/key git fetch' (red team, round 45k, F3)
        }
        if (UNKNOWN_VARIABLES.contains(m.group(1)) || NamedFiles.namesATrustStore(m.group(1))) {
            unknown.add(m.group(1) + " set by the command itself, which changes what a program loads");
            return;
        }
        if (COMMAND_VARIABLES.contains(m.group(1))) {
            readCommand.accept(m.group(2));
            return;
        }
        if (CODE_DIRECTORY_VARIABLES.contains(m.group(1))) {
            library(m.group(2)); // PYTHONPATH=:/opt/x: the empty entry is the working directory (round 27, F4)
        } else if (CODE_FILE_VARIABLES.contains(m.group(1))) {
            for (String entry : m.group(2).split("[:\\s]+")) {
                if (!entry.isEmpty() && !entry.startsWith("/") && !entry.startsWith("~")) {
                    scripts.add(entry);
                }
            }
        } else if (NAMES_A_FILE.matcher(m.group(1)).matches()) {
            fileVariable(m.group(1), m.group(2));
        }
    }
}
