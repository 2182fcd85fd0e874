package dev.awssandbox.core.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The programs that run a file named by a word of their command line — shells, Python, Node, Perl,
 * Ruby, PHP, awk, Lua, Tcl, R, Java's single-file launcher, PowerShell, {@code .} and {@code source} —
 * and how their options read (red team, round 26, F1; round 27, F2, F7): in {@code sh x.sh} the word
 * {@code x.sh} is code the later host program runs from its working directory although it has no
 * {@code /}. {@link CommandWords} names such a word; the other options ({@code --profile default})
 * are left alone, so that an option's value does not make every project read-only.
 *
 * @param names           the program's file names
 * @param code            options whose value is the code itself ({@code sh -c}, {@code python3 -c},
 *                        {@code perl -e}): no file follows
 * @param module          options whose value is a module found on the search path ({@code python3 -m})
 * @param values          options that take the next word as their value ({@code bash -o pipefail})
 * @param scripts         options whose value (the next word, or glued: {@code awk -fprog.awk},
 *                        {@code --rcfile=rc}) is a file it runs ({@code bash --rcfile}, {@code awk -f},
 *                        {@code node -r}, {@code java -jar})
 * @param libraries       options whose value (the next word or glued) is a directory it loads code from
 *                        ({@code perl -Ilib}, {@code perl -Mlib=lib}, {@code java -cp .})
 * @param firstWordIsCode the first word that is not an option is program text or a name, not a file (awk; ssh's host)
 * @param cwdIsCode       with code, a module or standard input instead of a file, it loads modules from its working
 *                        directory ({@code python3 -c}: {@code sys.path[0]} is {@code ''}; {@code node -e}:
 *                        {@code ./node_modules})
 * @param safe            options that keep the working directory off its search path ({@code python3 -I}, {@code -P})
 */
record Interpreters(Pattern names, Set<String> code, Set<String> module, Set<String> values, Set<String> scripts,
                    Set<String> libraries, boolean firstWordIsCode, boolean cwdIsCode, Pattern safe) {
    private static final Pattern NONE = Pattern.compile("(?!)");

    /** The POSIX shells and their kin ({@code -s}: the script is the standard input). */
    static final Interpreters SHELL = new Interpreters(Pattern.compile("(?:ba|da|z|k|mk|pdk|ya|a|c|tc|rba)?sh|\\.|source"),
            Set.of("-c"), Set.of(), Set.of("-o", "+o", "-O", "+O"), Set.of("--rcfile", "--init-file"), Set.of(),
            false, false, NONE);

    /** Java: {@code java Cred.java} runs the file; a class name is found on the class path, {@code .} by default. */
    static final Interpreters JAVA = new Interpreters(Pattern.compile("java"), Set.of(), Set.of("-m", "--module"),
            Set.of("--add-modules", "--enable-native-access", "-splash"), Set.of("-jar"),
            Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path"), false, true, NONE);

    /**
     * ssh reads the config it is given ({@code -F}), whose commands run (round 27, F6; round 28, F1:
     * {@link CommandWords.Reading#configs()} are read as ssh configs), and loads the PKCS#11 library {@code -I} names
     * (red team, round 39, F15).
     */
    static final Interpreters SSH = new Interpreters(Pattern.compile("ssh"), Set.of(), Set.of(), Set.of("-o", "-p", "-l",
            "-i", "-J", "-W", "-b", "-c", "-D", "-E", "-e", "-L", "-m", "-O", "-Q", "-R", "-S", "-w", "-B"),
            Set.of("-F", "-I"), Set.of(), true, false, NONE);

    /** Perl: {@code -e} code, {@code -I} libraries; {@code -M}, {@code -i}, {@code -x}, {@code -d} take the rest of their word. */
    static final Interpreters PERL = new Interpreters(Pattern.compile("perl[0-9.]*"), Set.of("-e", "-E"), Set.of(), Set.of(),
            Set.of(), Set.of("-I", "-Mlib="), false, false, NONE);

    /** awk: its first word is the program, which runs commands with {@code system()} and pipes. */
    static final Interpreters AWK = new Interpreters(Pattern.compile("[gmn]?awk"),
            // gawk -e/--source code, -l/--load a native extension, mawk -W exec FILE (red team, round 32, F5)
            Set.of("-e", "--source", "-l", "--load", "-W"), Set.of(), Set.of("-v", "-F"),
            Set.of("-f", "--file", "-E", "--exec", "-i", "--include"), Set.of(), true, false, NONE);

    /** vim and its kin: {@code -c}/{@code --cmd} and {@code +cmd} are commands, {@code -S}/{@code -u} scripts. */
    static final Interpreters VIM = new Interpreters(Pattern.compile("n?vim?(?:\\..*)?|vimdiff|view|ex|gvim|rvim|evim"),
            Set.of("-c", "--cmd",
            "-l"), Set.of(), Set.of("-i", "-T"), Set.of("-S", "-u"), Set.of(), true, false, NONE);

    /** sed: its script ({@code -e}, or the first word) runs commands only as text it holds ({@code e}, {@code s///e}). */
    static final Interpreters SED = new Interpreters(Pattern.compile("g?sed"), Set.of("-e", "--expression"), Set.of(),
            Set.of("-l"), Set.of("-f", "--file"), Set.of(), true, false, NONE);

    /** sqlite3: its {@code -cmd} commands run shell text ({@code .shell}), which is read as a command string. */
    static final Interpreters SQLITE = new Interpreters(Pattern.compile("sqlite3"), Set.of("-cmd"), Set.of(),
            Set.of("-separator", "-nullvalue", "-newline", "-vfs", "-pagecache", "-lookaside", "-heap", "-mmap", "-maxsize"),
            Set.of("-init"), Set.of(), true, false, NONE);

    private static final List<Interpreters> ALL = List.of(SHELL, JAVA,
            new Interpreters(Pattern.compile("fish"), Set.of("-c", "--command", "-C", "--init-command"), Set.of(),
                    Set.of("-d", "--debug", "-o", "--debug-output", "--profile"), Set.of(), Set.of(), false, false, NONE),
            new Interpreters(Pattern.compile("python[0-9.]*|pypy[0-9.]*|ipython[0-9.]*"), Set.of("-c"), Set.of("-m"),
                    Set.of("-W", "-X", "--check-hash-based-pycs"), Set.of(), Set.of(), false, true,
                    Pattern.compile("-[A-Za-z]*[IP][A-Za-z]*")),
            new Interpreters(Pattern.compile("node|nodejs|tsx|ts-node"), Set.of("-e", "--eval", "-p", "--print"), Set.of(),
                    Set.of("--title", "--input-type", "--conditions", "-C"),
                    Set.of("-r", "--require", "--import", "--loader", "--experimental-loader"), Set.of(), false, true, NONE),
            PERL,
            new Interpreters(Pattern.compile("ruby[0-9.]*"), Set.of("-e"), Set.of(), Set.of("-E", "--encoding"),
                    Set.of("-r"), Set.of("-I"), false, false, NONE),
            new Interpreters(Pattern.compile("php[0-9.]*"), Set.of("-r"), Set.of(), Set.of("-c", "-d", "-z"), Set.of("-f"),
                    Set.of(), false, false, NONE),
            AWK,
            new Interpreters(Pattern.compile("lua[0-9.]*|luajit"), Set.of("-e"), Set.of(), Set.of("-l"), Set.of(), Set.of(),
                    false, false, NONE),
            new Interpreters(Pattern.compile("tclsh[0-9.]*|wish[0-9.]*|expect"), Set.of("-c"), Set.of(), Set.of(),
                    Set.of("-f"), Set.of(), false, false, NONE),
            new Interpreters(Pattern.compile("pwsh|powershell"), Set.of("-c", "-Command", "-command"), Set.of(),
                    Set.of("-ExecutionPolicy", "-WorkingDirectory"), Set.of("-File", "-file", "-f"), Set.of(),
                    false, false, NONE),
            new Interpreters(Pattern.compile("Rscript|jshell|groovy|julia|elixir|escript|kotlin|scala|xonsh|dc"),
                    Set.of("-e", "-c"), Set.of(), Set.of(), Set.of("-f"), Set.of(), false, false, NONE),
            // programs whose scripts run shell commands (round 28, not reached: GNU sed's e, m4's syscmd, sqlite3's
            // .shell, gdb's shell, vim's :!): the script options name code; sed's and vim's first word is text or data
            SED,
            new Interpreters(Pattern.compile("m4|gm4"), Set.of(), Set.of(), Set.of("-D", "-U"), Set.of(), Set.of("-I"),
                    false, false, NONE),
            SQLITE,
            new Interpreters(Pattern.compile("gdb"), Set.of("-ex", "--eval-command", "-iex"), Set.of(), Set.of("-p",
                    "--pid", "-cd", "-d", "--directory"), Set.of("-x", "--command", "-ix"), Set.of(), false, false, NONE),
            VIM,
            // less runs the LESSOPEN its lesskey source sets (round 29, F1); ed runs '!' lines of its standard input
            new Interpreters(Pattern.compile("less"), Set.of(), Set.of(), Set.of("-b", "-h", "-j", "-k", "-o", "-O", "-p",
                    "-P", "-t", "-T", "-x", "-y", "-z", "-#"), Set.of("--lesskey-src", "--lesskey-file", "-k"), Set.of(), true,
                    false, NONE),
            // ed runs the '!' lines of the commands it reads (round 33, F2): reached as a name, fails closed
            new Interpreters(Pattern.compile("ed|red"), Set.of(), Set.of(), Set.of("-p"), Set.of(), Set.of(), true, false,
                    NONE),
            new Interpreters(Pattern.compile("R"), Set.of("-e"), Set.of(), Set.of(), Set.of("-f", "--file"), Set.of(),
                    false, false, NONE),
            // red team, round 32, F6: more languages with inline code and script options
            new Interpreters(Pattern.compile("emacs|emacs-nox"), Set.of("--eval", "-eval", "--execute"), Set.of(),
                    Set.of(), Set.of("-l", "--load", "--script", "-script", "-x"), Set.of("-L", "--directory"), false,
                    false, NONE),
            new Interpreters(Pattern.compile("guile[0-9.]*|racket|sbcl|clisp|ecl|chicken|csi|gosh|chez|scheme|tcc"),
                    Set.of("-c", "-e", "--eval", "--eval-string"), Set.of(), Set.of(),
                    Set.of("-l", "-s", "-f", "-t", "-r", "--load", "--script", "-run"), Set.of("-L"), false, false, NONE),
            new Interpreters(Pattern.compile("jq|gojq|yq"), Set.of(), Set.of(), Set.of("--arg", "--argjson", "--slurpfile",
                    "--rawfile", "--args", "--jsonargs", "--indent"), Set.of("-f", "--from-file"), Set.of("-L"), true, false,
                    NONE),
            SSH);

    /**
     * Whether code this interpreter is given inline ({@code python3 -c}, {@code node -e}, {@code perl -e}) or on
     * its standard input is a program that may compute the paths it runs ({@code os.environ['HOME'] + '/proj/c.py'}:
     * red team, round 31, F1): what it runs cannot be known here. Not so for the POSIX shell, whose code is read
     * as shell (a computed path is unknown there already), nor for sed, which reads no environment and runs
     * commands only as text it holds (read again as a command string).
     */
    boolean opaqueCode() {
        return this != SHELL && this != SED && this != SSH;
    }

    /**
     * Programs whose standard input, when they are given no file, is a program or commands that can run
     * anything ({@code echo '…' | python3}, {@code sqlite3 < x} with {@code .shell}, {@code ed < y} with
     * {@code !cmd}). Not an editor's or a pager's ({@code core.editor = vim}, {@code core.pager = less -R}: the
     * file comes later, the input is text).
     */
    static final Pattern STDIN_IS_CODE = Pattern.compile("python[0-9.]*|pypy[0-9.]*|ipython[0-9.]*|node|nodejs|tsx|"
            + "ts-node|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|lua[0-9.]*|luajit|tclsh[0-9.]*|wish[0-9.]*|expect|pwsh|"
            + "powershell|Rscript|R|julia|elixir|groovy|jshell|kotlin|scala|xonsh|dc|guile[0-9.]*|racket|sbcl|clisp|"
            + "ecl|csi|gosh|chez|scheme|sqlite3|m4|gm4|gdb|fish|ed|red"
            // round 34, F2: a shell's standard input is a script too, and so are these programs' commands
            + "|(?:ba|da|z|k|mk|pdk|ya|a|c|tc|rba)?sh|\\.|source");

    /** Programs, not interpreters here, whose commands run shell commands or load code: named, they fail closed. */
    static final Pattern COMMAND_READERS = Pattern.compile("psql|mysql|mariadb|sftp|ftp|lftp|gnuplot|duckdb|irb|bpython|"
            + "lldb|gdb-.*|crontab|litecli|sqlite.*|osascript|busybox");

    /** Whether {@code program} (a name or path) reads a program on its standard input when given no file. */
    static boolean stdinIsCode(String program) {
        return STDIN_IS_CODE.matcher(program.substring(program.lastIndexOf('/') + 1)).matches();
    }

    /**
     * Whether the rest of a short-option cluster is the value of this letter's option ({@code perl -MCred},
     * {@code -ibak}, {@code -x}, {@code -d:Trace}), not more options: {@code -MCred}'s {@code e} is no {@code -e}.
     */
    boolean takesRestOfWord(char letter) {
        return this == PERL && "MmixdDI".indexOf(letter) >= 0;
    }

    /**
     * Whether an awk program can run anything: {@code system()}, a pipe to or from a command
     * ({@code print | "sh"}, {@code "cmd" | getline}), gawk's {@code @include}/{@code @load}. One without
     * them only reads and prints (red team, round 31, F1). Also {@code getline < FILE}, which reads a file
     * whose name the program may compute (session of 2026-12-03: such a program is no plain text either), and
     * {@code print > FILE}: any {@code >} in a program that prints. Which {@code >} is a comparison cannot be told
     * without parsing awk, whose {@code /} starts a regular expression or divides by what came before: taking
     * strings and regular expressions out first hid {@code print $2 > $1} behind {@code $3/1024; … kb/NR} and
     * behind a {@code /"/} (red team, round 37, F3; round 39, F5). Cost: {@code $3 > 100 { print $1 }} fails closed.
     */
    static boolean awkRuns(String program) {
        return program.contains("system") || program.indexOf('|') >= 0 || program.indexOf('@') >= 0
                || program.contains("getline") && program.indexOf('<') >= 0
                || program.indexOf('>') >= 0 && PRINTS.matcher(program).find();
    }

    /** A {@code print} or {@code printf} statement, whose output a {@code >} may send to a file it names. */
    private static final Pattern PRINTS = Pattern.compile("\\bprintf?\\b");

    /**
     * Programs that run what their working directory holds — a {@code Makefile}, a {@code package.json}'s
     * scripts, {@code ./node_modules/.bin}, an {@code .envrc}, a Go module, a Terraform configuration: in
     * command position, the directory they run in is code.
     */
    static final Set<String> PROJECT_RUNNERS = Set.of("make", "gmake", "npm", "npx", "yarn", "pnpm", "bun", "just",
            "direnv", "poetry", "pipenv", "uv", "uvx", "go", "cargo", "deno", "terraform", "tofu", "gradle", "gradlew",
            "mvn", "mvnw", "ant", "rake", "bundle", "sbt", "dotnet", "mix", "swift", "task",
            // round 31, L1: test runners and build tools that load the project's own files
            "pytest", "py.test", "tox", "nox", "pre-commit", "ninja", "cmake", "ctest", "meson", "scons", "composer",
            "lein", "bazel", "bazelisk", "hatch", "pdm", "rye", "invoke", "doit", "nx", "turbo", "lerna", "vagrant",
            // round 32, F6: installers and tools that run the project's setup or config code
            "pip", "pip3", "pipx", "eslint", "prettier", "sphinx-build", "jest", "mocha", "vitest", "webpack", "vite",
            "rollup", "babel", "mypy", "pylint", "flake8", "behave", "nosetests",
            // round 33, F5: AWS and infrastructure tools that run a project's code, and more build tools
            "cdk", "sam", "serverless", "sls", "pulumi", "cdktf", "ansible-playbook", "ansible", "gulp", "grunt", "zig",
            "nix-shell", "mise", "hg", "coverage", "playwright", "cypress", "lint-staged", "latexmk", "pdflatex",
            "xelatex", "lualatex", "dune", "cabal", "rebar3", "buck2", "tmux");

    /**
     * Programs known to read their standard input as text or data only: nothing it says runs, loads
     * code or names a file they write (a pipe or {@code <} into any other program fails closed: red
     * team, round 34, F2 — lists of programs that run their input kept missing some). {@code git} only
     * with a subcommand that reads its input as data or reads none ({@code ScriptScan.gitReadsText}: not
     * {@code apply}, {@code am}), {@code xargs} only with a command that
     * takes any words harmlessly ({@code ScriptScan.xargsCommand}), {@code read} (the variable it sets is
     * unknown as an argument and where it decides a path). Not {@code tar},
     * {@code patch}, {@code cpio}, {@code openssl} (their input names files they write or commands),
     * not {@code aws}, not an editor, not {@code ssh} (the remote shell runs what it is given, with the user's keys:
     * red team, round 39, N1). A program's own options that read a program from the standard
     * input ({@code sed -f -}) are read apart ({@link ScriptScan}).
     */
    static final Set<String> TEXT_READERS = Set.of("cat", "tac", "head", "tail", "grep", "egrep", "fgrep", "zgrep",
            "rg", "ag", "sed", "awk", "gawk", "mawk", "nawk", "jq", "gojq", "yq", "sort", "uniq", "cut", "tr", "wc",
            "tee", "sponge", "dd", "base64", "base32", "basenc", "xxd", "od", "hexdump", "column", "paste", "fmt",
            "fold", "nl", "pr", "rev", "expand", "unexpand", "shuf", "tsort", "numfmt", "split", "csplit", "cmp",
            "diff", "comm", "join", "iconv", "dos2unix", "unix2dos", "envsubst", "strings", "gzip", "gunzip", "zcat",
            "bzip2", "bunzip2", "bzcat", "xz", "unxz", "xzcat", "zstd", "unzstd", "zstdcat", "lz4", "md5sum",
            "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "less", "more",
            "most", "bat", "batcat", "delta", "diff-so-fancy", "diff-highlight", "fzf", "peco", "pbcopy", "xclip",
            "xsel", "wl-copy", "pv", "ts", "gpg", "gpg2", "age", "read", "xargs", "git", "echo", "printf",
            "true", "false", ":", "test", "[");

    /** Names of standard input as a file: an interpreter given one reads what the other commands print (round 27, F8). */
    static final Set<String> STANDARD_INPUT = Set.of("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0", "-");

    /** Any open descriptor as a file: {@code sh /dev/fd/3 3<x.sh} (red team, round 35, F3). */
    private static final Pattern DESCRIPTOR = Pattern.compile("/dev/fd/\\d+|/proc/(?:self|thread-self|\\d+)/fd/\\d+"
            + "|/dev/std(?:in|out|err)");

    /** Whether {@code file} names standard input or another descriptor the string may have redirected: what it reads is given. */
    static boolean namesDescriptor(String file) {
        return STANDARD_INPUT.contains(file) || DESCRIPTOR.matcher(file).matches();
    }

    /** The interpreter {@code word} (a program's name or path) starts, if it is one. */
    static Optional<Interpreters> of(String word) {
        String name = word.substring(word.lastIndexOf('/') + 1);
        return ALL.stream().filter(i -> i.names.matcher(name).matches()).findFirst();
    }

    /** Whether {@code option} keeps the working directory off the search path ({@code python3 -I}, {@code -sP}). */
    boolean safePath(String option) {
        return safe.matcher(option).matches();
    }
}
