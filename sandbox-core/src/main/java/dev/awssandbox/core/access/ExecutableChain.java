package dev.awssandbox.core.access;

import dev.awssandbox.core.access.PathGrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds what it takes to run a program: the program itself, each symlink hop, the interpreters
 * named by {@code #!} lines (through GNU {@code env}), and each one's installation directories.
 * That is how an AWS CLI installed under {@code $HOME} (pyenv, pipx, a venv, {@code ~/.local})
 * runs without the rest of {@code $HOME} being opened.
 *
 * <p><b>The rule for derived grants</b> (each line closes an attack found in review):
 * <ol>
 *   <li>A program is a source of grants only if it is {@linkplain PlantingCheck trusted}: every
 *       directory and symlink on the way to it, and the file, belong to root or the invoking user,
 *       are writable by no group or other user, and are not in or under a writable path of the
 *       policy; and no symbolic link on the way lies where an earlier sandboxed command could have
 *       planted it (the {@code --ro} rule, but for a home's {@linkplain #TOOL_LOCATIONS tool
 *       locations}: red team, round 18, planted {@code lib -> /proc} beside a program in a data
 *       directory and a later command was granted the host's {@code /proc}). An untrusted program gets no grants, and its {@code #!} line is not followed: it
 *       runs only if the policy already lets it (an executable {@code gradlew} in the working
 *       directory exposed the project's {@code .env}; a {@code #!} symlink in {@code /tmp} flipped
 *       between a key and {@code /usr/bin/sh} printed the key).</li>
 *   <li>{@code #!} lines are split as the kernel splits them (interpreter, one optional argument)
 *       and {@code env}'s arguments are parsed as GNU env parses them ({@link GnuEnv}); anything
 *       not fully understood stops the chain ({@code #!/usr/bin/env -S -u /etc/hosts sh} opened
 *       all of {@code /etc}).</li>
 *   <li>A derived grant is the program file (never inside a credential directory) plus, only for a
 *       recognised installation layout, directories of that installation; a directory is never
 *       {@code /}, {@code /etc}, a home or its ancestor, nor one that is, is in or holds a
 *       credential directory ({@link SensitiveLocations}), and is itself trusted. No derived
 *       grant is a kernel interface or aws-sandbox's state, nor lies in a home outside its tool
 *       locations when a link leads there from outside the program's own installation.</li>
 *   <li>Every decision is made on resolved paths; the program is later executed by the resolved
 *       path that was planned ({@link #resolve} returns it), never looked up again.</li>
 * </ol>
 *
 * <p>Recognised layouts, for a program whose resolved path is {@code R}:
 * <ul>
 *   <li>{@code <root>/shims/R} with a {@code <root>/libexec} beside it (pyenv, rbenv): the whole
 *       {@code <root>}, since the shim picks the real program at run time;</li>
 *   <li>{@code <prefix>/bin/R} or {@code sbin} (/usr, /usr/local, /opt/NAME, a venv, pipx,
 *       {@code ~/.local}, Homebrew and Nix prefixes): {@code <prefix>/bin}, {@code sbin},
 *       {@code lib}, {@code lib64}, {@code libexec}, and {@code <prefix>/pyvenv.cfg} if it is a
 *       regular file;</li>
 *   <li>{@code .../aws-cli/v2/VERSION/dist/R} (the AWS CLI v2 installer): that {@code dist};</li>
 *   <li>anything else: the program file only.</li>
 * </ul>
 */
public final class ExecutableChain {
    private static final int MAX_DEPTH = 8;
    private static final int MAX_LINK_HOPS = 40;
    /** The kernel reads this much of a script for its #! line (BINPRM_BUF_SIZE). */
    private static final int BINPRM_BUF_SIZE = 256;

    private final FileFacts facts;
    private final PlantingCheck planting;
    private final SensitiveLocations sensitive;
    /** Why a resolved target may never be granted (a kernel interface, aws-sandbox's state); empty: it may. */
    private final java.util.function.Function<Path, Optional<String>> forbiddenTarget;
    /** Each home as spelled ({@code $HOME}, {@code user.home}) with its resolved path. */
    private final java.util.Map<Path, Path> homes;
    private final List<Path> chain = new ArrayList<>();
    private final List<PathGrant> grants = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private ExecutableChain(FileFacts facts, PlantingCheck planting, SensitiveLocations sensitive,
                            java.util.function.Function<Path, Optional<String>> forbiddenTarget, Path home) {
        this.facts = facts;
        this.planting = planting;
        this.sensitive = sensitive;
        this.forbiddenTarget = forbiddenTarget;
        this.homes = new java.util.LinkedHashMap<>();
        homes.put(home.toAbsolutePath().normalize(), facts.realOrNormalized(home));
        String userHome = System.getProperty("user.home");
        if (userHome != null && !userHome.isBlank() && Path.of(userHome).isAbsolute()) {
            homes.putIfAbsent(Path.of(userHome).normalize(), facts.realOrNormalized(Path.of(userHome)));
        }
    }

    /**
     * The directories of a home where tools install themselves (first name below the home):
     * symbolic links there are the tools' own (pipx's {@code ~/.local/bin/aws}, pyenv's
     * versions), and derived grants may lead into them.
     */
    static final java.util.Set<String> TOOL_LOCATIONS = java.util.Set.of(".local", ".pyenv", ".rbenv", ".nodenv",
            ".goenv", ".jenv", ".nvm", ".volta", ".asdf", ".sdkman", ".cargo", ".rustup", ".bun", ".deno",
            ".linuxbrew", ".npm-global", "miniconda3", "anaconda3", "miniforge3", "mambaforge");

    /** Whether {@code real} (resolved) lies in a {@linkplain #TOOL_LOCATIONS tool location} of one of {@code homes} (resolved). */
    static boolean inToolLocation(Path real, java.util.Collection<Path> homes) {
        for (Path home : homes) {
            if (real.startsWith(home) && real.getNameCount() > home.getNameCount()
                    && TOOL_LOCATIONS.contains(real.getName(home.getNameCount()).toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a derived grant of {@code planned}, which resolved to {@code real}, is not made, if it is
     * not: {@code real} is {@linkplain #forbiddenTarget forbidden} (a kernel interface: red team,
     * round 18, was granted {@code /proc}, {@code /proc/self}, {@code /sys} through a planted
     * {@code lib}), or lies in a home outside its {@linkplain #TOOL_LOCATIONS tool locations} and
     * was reached through a symbolic link that leads out of {@code prefix} (the installation the
     * program belongs to; null for a program or interpreter file): {@code lib64 -> ~/Documents}.
     */
    private Optional<String> refusedTarget(Path planned, Path real, Path prefix) {
        Optional<String> forbidden = forbiddenTarget.apply(real);
        if (forbidden.isPresent()) {
            return forbidden;
        }
        for (Path home : homes.values()) {
            if (!real.startsWith(home) || inToolLocation(real, homes.values())) {
                continue;
            }
            if (sameNameAsResolved(planned, real) || prefix != null && real.startsWith(prefix)) {
                return Optional.empty();
            }
            return Optional.of("it leads through a symbolic link to " + real + ", in " + home + " outside the"
                    + " directories where tools install themselves (" + String.join(" ", new java.util.TreeSet<>(TOOL_LOCATIONS))
                    + ")");
        }
        return Optional.empty();
    }

    /** Whether no symbolic link lies on the way from {@code planned} to {@code real}, but those that spell a home. */
    private boolean sameNameAsResolved(Path planned, Path real) {
        Path p = planned.toAbsolutePath().normalize();
        for (var home : homes.entrySet()) {
            if (p.startsWith(home.getKey())) {
                p = home.getValue().resolve(home.getKey().relativize(p));
                break;
            }
        }
        return p.equals(real);
    }

    /**
     * The result: the program's resolved path (what is executed), the chain in order, the read
     * grants it needs, and why grants were not derived where they were not.
     */
    public record Resolution(Path executable, List<Path> chain, List<PathGrant> grants, List<String> notes) {
        public Resolution {
            chain = List.copyOf(chain);
            grants = List.copyOf(grants);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Locates {@code program}: a path (relative to {@code directory} when not absolute) if it
     * contains a slash, else the first executable regular file of that name on
     * {@code pathVariable}.
     */
    public static Optional<Path> locate(String program, String pathVariable, Path directory) {
        return locate(program, pathVariable, directory, new FileFacts());
    }

    /** The same, answering from one plan's {@code facts} (whether it may be executed is always asked afresh). */
    static Optional<Path> locate(String program, String pathVariable, Path directory, FileFacts facts) {
        if (program.contains("/")) {
            Path candidate = directory.resolve(program).normalize();
            return isExecutableFile(candidate, facts) ? Optional.of(candidate) : Optional.empty();
        }
        for (String dir : pathVariable.split(":", -1)) {
            Path base = dir.isEmpty() ? directory : directory.resolve(dir);
            Path candidate = base.resolve(program).normalize();
            if (isExecutableFile(candidate, facts)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code program}, which {@link #locate} did not find, cannot be executed although it
     * exists, as {@code execve}/{@code execvp} would say (EACCES: the shell's exit status 126):
     * a path that names a directory, a file that is not regular, or a regular file without
     * execute permission; without a slash, the first regular file of that name on
     * {@code pathVariable} (none of them is executable). Empty when nothing of that name exists
     * (ENOENT: 127).
     */
    static Optional<String> whyNotExecutable(String program, String pathVariable, Path directory, FileFacts facts) {
        if (program.contains("/")) {
            Path candidate = directory.resolve(program).normalize();
            if (!facts.exists(candidate, true)) {
                return Optional.empty();
            }
            if (facts.isDirectory(candidate, true)) {
                return Optional.of("it is a directory");
            }
            if (!facts.isRegularFile(candidate, true)) {
                return Optional.of("not a regular file");
            }
            return Optional.of("not executable (no execute permission)");
        }
        for (String dir : pathVariable.split(":", -1)) {
            Path base = dir.isEmpty() ? directory : directory.resolve(dir);
            Path candidate = base.resolve(program).normalize();
            if (facts.isRegularFile(candidate, true)) {
                return Optional.of("found on the sandboxed command's PATH as " + candidate
                        + ", which is not executable (no execute permission)");
            }
        }
        return Optional.empty();
    }

    /** {@link Files#isRegularFile} (following links) and {@link Files#isExecutable} ({@code access(X_OK)}). */
    private static boolean isExecutableFile(Path path, FileFacts facts) {
        return facts.isRegularFile(path, true) && Files.isExecutable(path);
    }

    /**
     * Resolves the chain of an already located, absolute executable.
     *
     * @param home          {@code $HOME} of the policy
     * @param childPath     the {@code PATH} the command starts with (empty when it has none)
     * @param writablePaths every path the policy makes writable (nothing under them is trusted)
     */
    public static Resolution resolve(Path executable, Path home, Optional<String> childPath, List<Path> writablePaths) {
        return resolve(executable, home, childPath, writablePaths, new FileFacts());
    }

    /** The same, answering from one plan's {@code facts}. */
    static Resolution resolve(Path executable, Path home, Optional<String> childPath, List<Path> writablePaths,
                              FileFacts facts) {
        return resolve(executable, home, childPath, writablePaths, facts, directory -> false, real -> Optional.empty());
    }

    /**
     * The same, where no symbolic link in a directory {@code linkPlantable} accepts is followed
     * (an earlier sandboxed command could have planted it), and no target {@code forbiddenTarget}
     * gives a reason for is granted.
     */
    static Resolution resolve(Path executable, Path home, Optional<String> childPath, List<Path> writablePaths,
                              FileFacts facts, java.util.function.Predicate<Path> linkPlantable,
                              java.util.function.Function<Path, Optional<String>> forbiddenTarget) {
        PlantingCheck planting = new PlantingCheck(writablePaths, facts, linkPlantable);
        ExecutableChain resolver = new ExecutableChain(facts, planting, facts.sensitiveLocations(home), forbiddenTarget, home);
        resolver.follow(executable, childPath, 0);
        Path real = facts.realOr(executable, executable);
        return new Resolution(real, resolver.chain, resolver.grants, resolver.notes);
    }

    private void follow(Path program, Optional<String> environmentPath, int depth) {
        if (depth > MAX_DEPTH || chain.contains(program)) {
            return;
        }
        addHops(program);
        PlantingCheck.Verdict verdict = planting.check(program);
        if (!verdict.trusted()) {
            notes.add("no grants derived from " + program + ": " + verdict.untrusted().orElseThrow());
            return;
        }
        Path real = verdict.real();
        Optional<String> credentials = sensitive.whyInsideCredentials(real);
        if (credentials.isPresent()) {
            notes.add("no grants derived from " + program + ": " + credentials.get());
            return;
        }
        Optional<String> refusedTarget = refusedTarget(program, real, null);
        if (refusedTarget.isPresent()) {
            notes.add("no grants derived from " + program + ": " + refusedTarget.get());
            return;
        }
        if (depth > 0) {
            // an interpreter is named by a file's #! line, which an earlier command may have written: red team,
            // round 19, F6, planted "#!/root/.npmrc" and "#!/root/secret/notabinary" (executable, no #!) in a
            // script run later from elsewhere; both were granted, and under bubblewrap execvp's ENOEXEC fallback
            // then ran the script with sh, which read the granted file
            Optional<String> notAnInterpreter = sensitiveForAnInterpreter(real).or(() -> notAProgram(real));
            if (notAnInterpreter.isPresent()) {
                notes.add("no grants derived from the interpreter " + program + ": " + notAnInterpreter.get());
                return;
            }
        }
        grants.add(new PathGrant(program, real, PathGrant.Access.READ, false, depth == 0 ? "executable" : "interpreter"));
        grantInstallation(real);
        Optional<Shebang> shebang = facts.shebang(real);
        if (shebang.isEmpty()) {
            return;
        }
        Shebang line = shebang.get();
        if (!line.interpreter().isAbsolute()) {
            notes.add("not following " + real + ": its #! interpreter is a relative path");
            return;
        }
        PlantingCheck.Verdict interpreter = planting.check(line.interpreter());
        boolean env = interpreter.trusted() && interpreter.real().getFileName() != null
                && interpreter.real().getFileName().toString().equals("env");
        follow(line.interpreter(), environmentPath, depth + 1);
        if (!interpreter.trusted()) {
            return;
        }
        if (!env) {
            if (line.interpreter().getFileName().toString().equals("env")) {
                notes.add("not following " + line.interpreter() + ": it is not GNU env but " + interpreter.real());
            }
            return;
        }
        switch (GnuEnv.parseShebang(line.argument(), environmentPath)) {
            case GnuEnv.NotUnderstood why -> notes.add("not following the #! line of " + real + ": " + why.reason());
            case GnuEnv.Runs runs -> envProgram(runs).ifPresent(target -> follow(target, runs.environmentPath(), depth + 2));
        }
    }

    /** How many {@code #!} interpreters may be scripts themselves before one must be a binary (the kernel allows 4 rewrites). */
    private static final int MAX_INTERPRETER_SCRIPTS = 4;

    /**
     * Why {@code real}, named as an interpreter, lies where no derived grant may: a hidden file or
     * directory right in a home outside the tools' locations ({@code ~/.npmrc}, {@code ~/.pgpass},
     * {@code ~/.vault-token}, {@code ~/.terraform.d}: settings and tokens, as for denial hints), or
     * another user's home under {@code /home}. Credential directories are refused before this.
     */
    private Optional<String> sensitiveForAnInterpreter(Path real) {
        Path policyHome = homes.values().iterator().next(); // $HOME: the first
        for (Path home : homes.values()) {
            if (real.startsWith(home) && real.getNameCount() > home.getNameCount()) {
                String first = real.getName(home.getNameCount()).toString();
                // below the account's own home when $HOME is elsewhere, only its hidden entries themselves
                // (a test's $HOME lies in ~/.cache)
                boolean whole = home.equals(policyHome) || real.getNameCount() == home.getNameCount() + 1;
                if (whole && first.startsWith(".") && !TOOL_LOCATIONS.contains(first)) {
                    return Optional.of("it is a hidden file or lies in a hidden directory of " + home
                            + " (other programs' settings and tokens)");
                }
            }
        }
        if (real.startsWith(HOME_DIRECTORIES) && real.getNameCount() > 1 && homes.values().stream().noneMatch(real::startsWith)) {
            return Optional.of("it is in another user's home " + HOME_DIRECTORIES.resolve(real.getName(1)));
        }
        return Optional.empty();
    }

    private static final Path HOME_DIRECTORIES = Path.of("/home");

    /**
     * Why {@code real} cannot be what the kernel runs a script with, if it cannot: it must be
     * executable and either a binary (ELF) or a {@code #!} script whose own interpreter, at most
     * {@link #MAX_INTERPRETER_SCRIPTS} scripts deep, is one. Anything else is data a {@code #!}
     * line names to get it granted: the kernel refuses it with ENOEXEC, and bwrap's execvp then
     * runs the script with {@code /bin/sh} (red team, round 19, F6).
     */
    private Optional<String> notAProgram(Path real) {
        Path current = real;
        for (int scripts = 0; scripts <= MAX_INTERPRETER_SCRIPTS; scripts++) {
            if (!facts.isRegularFile(current, true) || !Files.isExecutable(current)) {
                return Optional.of(current + " is not an executable file");
            }
            if (isElf(current)) {
                return Optional.empty();
            }
            Optional<Shebang> line = facts.shebang(current);
            if (line.isEmpty() || !line.get().interpreter().isAbsolute()) {
                return Optional.of(current + " is neither a binary (ELF) nor a script with an absolute #! interpreter");
            }
            Path next = line.get().interpreter();
            current = facts.realOr(next, next);
        }
        return Optional.of(real + " leads through more than " + MAX_INTERPRETER_SCRIPTS + " #! scripts");
    }

    /** Whether {@code file} starts with the ELF magic number. */
    private static boolean isElf(Path file) {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(magic, 0, 4) == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The program env's execvp would run, if no directory it searches first could receive a planted one. */
    private Optional<Path> envProgram(GnuEnv.Runs runs) {
        if (runs.program().startsWith("/")) {
            return Optional.of(Path.of(runs.program()));
        }
        for (String dir : runs.searchPath().split(":", -1)) {
            if (!dir.startsWith("/")) {
                // empty and relative entries mean the command's own (writable) working directory
                notes.add("not following env's " + runs.program() + ": PATH entry '" + dir + "' is relative");
                return Optional.empty();
            }
            Path candidate = Path.of(dir).resolve(runs.program()).normalize();
            PlantingCheck.Verdict where = planting.checkCreatable(Path.of(dir));
            if (!where.trusted()) {
                // env searches at run time: a program planted here later would run in the planned one's place
                notes.add("not following env's " + runs.program() + ": PATH directory " + dir + " is not trusted: "
                        + where.untrusted().orElseThrow());
                return Optional.empty();
            }
            if (isExecutableFile(candidate, facts)) {
                return Optional.of(candidate);
            }
        }
        notes.add("env's " + runs.program() + " is not on its PATH (" + runs.searchPath() + ")");
        return Optional.empty();
    }

    /** Records each symlink hop of {@code program} for display ({@code policy}, {@code doctor}). */
    private void addHops(Path program) {
        chain.add(program);
        Path current = program;
        for (int hop = 0; hop < MAX_LINK_HOPS && facts.kind(current) == FileFacts.Kind.SYMLINK; hop++) {
            try {
                current = current.getParent().resolve(facts.readLink(current)).normalize();
            } catch (IOException e) {
                break;
            }
            if (!chain.contains(current)) {
                chain.add(current);
            }
        }
    }

    private void grantInstallation(Path real) {
        Optional<Layout> layout = layout(real, facts);
        if (layout.isEmpty()) {
            return;
        }
        // a layout rooted at $HOME, /, or a directory holding keys is no installation: ~/bin/tool
        // would otherwise open ~/lib, ~/libexec, ~/bin
        Optional<String> refused = sensitive.whyNotDirectory(layout.get().root());
        if (refused.isPresent()) {
            notes.add("not granting the installation of " + real + ": its root " + layout.get().root() + " "
                    + refused.get().replaceFirst("^it ", ""));
            return;
        }
        for (Path dir : layout.get().directories()) {
            grantDirectory(dir, layout.get().root());
        }
        Path parent = real.getParent();
        if (isBinDirectory(parent)) {
            Path venvConfig = layout.get().root().resolve("pyvenv.cfg");
            // a regular file, never a symlink: a writable venv pointed it at a key (found in review)
            if (facts.isRegularFile(venvConfig, false)) {
                PlantingCheck.Verdict verdict = planting.check(venvConfig);
                if (verdict.trusted() && refusedTarget(venvConfig, verdict.real(), layout.get().root()).isEmpty()) {
                    grants.add(new PathGrant(venvConfig, verdict.real(), PathGrant.Access.READ, false,
                            "executable installation"));
                }
            }
        }
    }

    /** An installation: its root, and the directories of it a program needs. */
    record Layout(Path root, List<Path> directories) {}

    /** The installation layout {@code real} belongs to; empty when it is none we know. */
    static Optional<Layout> layout(Path real, FileFacts facts) {
        Path dir = real.getParent();
        if (dir == null || dir.getFileName() == null || dir.getParent() == null) {
            return Optional.empty();
        }
        Path root = dir.getParent();
        String name = dir.getFileName().toString();
        if (name.equals("shims") && facts.isDirectory(root.resolve("libexec"), false)) {
            return Optional.of(new Layout(root, List.of(root)));
        }
        if (isBinDirectory(dir)) {
            List<Path> dirs = new ArrayList<>();
            for (String sub : List.of("bin", "sbin", "lib", "lib64", "libexec")) {
                dirs.add(root.resolve(sub));
            }
            return Optional.of(new Layout(root, dirs));
        }
        // the AWS CLI v2 installer: <prefix>/aws-cli/v2/<version>/dist/aws
        Path v2 = root.getParent();
        if (name.equals("dist") && v2 != null && v2.getFileName() != null && v2.getFileName().toString().equals("v2")
                && v2.getParent() != null && v2.getParent().getFileName() != null
                && v2.getParent().getFileName().toString().equals("aws-cli")) {
            return Optional.of(new Layout(dir, List.of(dir)));
        }
        return Optional.empty();
    }

    private static boolean isBinDirectory(Path dir) {
        if (dir == null) {
            return false;
        }
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        return name.equals("bin") || name.equals("sbin");
    }

    private void grantDirectory(Path dir, Path prefix) {
        if (!facts.exists(dir, false)) {
            return;
        }
        // judged where it leads: a writable project could point .venv/lib64 at / (found in review)
        PlantingCheck.Verdict verdict = planting.check(dir);
        if (!verdict.trusted()) {
            notes.add("not granting " + dir + ": " + verdict.untrusted().orElseThrow());
            return;
        }
        Path real = verdict.real();
        if (!facts.isDirectory(real, true)) {
            return;
        }
        Optional<String> refused = sensitive.whyNotDirectory(real).or(() -> refusedTarget(dir, real, prefix));
        if (refused.isPresent()) {
            notes.add("not granting " + dir + ": " + refused.get());
            return;
        }
        grants.add(new PathGrant(dir, real, PathGrant.Access.READ, true, "executable installation"));
    }

    /**
     * The absolute interpreter named by {@code program}'s {@code #!} line, when nothing exists
     * there: {@code execve} then fails with ENOENT as if the script itself were missing. It reads
     * scripts in writable places too (it grants nothing): a command that swaps one for a FIFO
     * stalls this plan, as a script of its own that never ends would stall the run.
     */
    static Optional<Path> missingInterpreter(Path program, FileFacts facts) {
        return facts.shebang(facts.realOr(program, program)).map(Shebang::interpreter).filter(Path::isAbsolute)
                .filter(interpreter -> !facts.exists(interpreter, true));
    }

    /** A {@code #!} line as the kernel (fs/binfmt_script.c) splits it: the interpreter and at most one argument. */
    record Shebang(Path interpreter, Optional<String> argument) {}

    /**
     * The {@code #!} line of {@code script}: the interpreter ends at the first space, tab or NUL
     * after leading blanks; the rest of the line, trimmed of blanks at both ends, is the one
     * optional argument (up to a NUL). A line not ended within the kernel's 256-byte buffer is
     * treated as no line at all (the kernel may truncate it; we do not guess).
     */
    static Optional<Shebang> shebang(Path script) {
        byte[] head = new byte[BINPRM_BUF_SIZE];
        int length;
        try (InputStream in = Files.newInputStream(script)) {
            length = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (length < 3 || head[0] != '#' || head[1] != '!') {
            return Optional.empty();
        }
        int end = -1;
        for (int i = 2; i < length; i++) {
            if (head[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        int start = 2;
        while (start < end && isBlank(head[start])) {
            start++;
        }
        int stop = end;
        while (stop > start && isBlank(head[stop - 1])) {
            stop--;
        }
        if (start >= stop) {
            return Optional.empty();
        }
        int nameEnd = start;
        while (nameEnd < stop && !isBlank(head[nameEnd]) && head[nameEnd] != 0) {
            nameEnd++;
        }
        String interpreter = new String(head, start, nameEnd - start, StandardCharsets.UTF_8);
        Optional<String> argument = Optional.empty();
        if (nameEnd < stop && head[nameEnd] != 0) {
            int argStart = nameEnd;
            while (argStart < stop && isBlank(head[argStart])) {
                argStart++;
            }
            int argEnd = argStart;
            while (argEnd < stop && head[argEnd] != 0) {
                argEnd++;
            }
            if (argStart < stop) {
                argument = Optional.of(new String(head, argStart, argEnd - argStart, StandardCharsets.UTF_8));
            }
        }
        try {
            return Optional.of(new Shebang(Path.of(interpreter), argument));
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
