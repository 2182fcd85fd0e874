package dev.awssandbox.core;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.DataDirectories;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.access.SensitiveLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a failed command's stderr for the marks of a sandbox denial (EACCES/EPERM on a path
 * outside the policy, a refused connection with the network off) and states each as an
 * {@link ExecResult.Denial}: facts, never advice. The command writes its own stderr, so a denial
 * is stated only where allowing it would be harmless to the host: an ordinary data directory. A
 * fake "cat: ~/.ssh/id_ed25519: Permission denied" must not lead anyone to open {@code ~/.ssh}
 * (found in review), nor a fake "cannot create /root/.bashrc" or "/usr/local/bin/x" to make a
 * place writable whose files other programs read or run later (found by the red team). Never
 * named: keys and credentials; {@code $HOME}, {@code /}, {@code /tmp} themselves; system
 * directories; anything in a hidden file or directory of {@code $HOME} or of the account's own home
 * (other programs' settings, tokens and tools: {@code ~/.npmrc}, {@code ~/.cargo/bin},
 * {@code /root/.m2}); a directory on {@code PATH}, or one
 * that holds one, or one of the directories common shell profiles put on a login shell's
 * {@code PATH} ({@code ~/bin}, {@code ~/go/bin}); anything in a directory named {@code bin},
 * {@code sbin} or {@code libexec}; anything in the host's shared temporary directories or in
 * another user's home; a name right in the user's home that does not exist; where language
 * runtimes load modules from ({@code node_modules}, {@code ~/perl5}, R's user library:
 * {@link dev.awssandbox.core.access.ProgramLocations}); a directory no grant would make writable (aws-sandbox's installation, its spawn gates:
 * the hint would name a grant the CLI then refuses).
 */
final class Denials {
    /**
     * An absolute path, as tools quote it ('…', "…", ‘…’) or leave it bare — starting a word: the
     * tail of a relative path ("cannot create tools/find-jdk.sh") is no path of its own.
     */
    private static final Pattern PATH = Pattern.compile("(?:^|(?<=[\\s'\"‘`(=]))(/[^\\s'\"’`:,)]+)");
    private static final Pattern DENIED = Pattern.compile("Permission denied|Operation not permitted");
    private static final Pattern NETWORK = Pattern.compile(
            "Could not connect to the endpoint URL|/dev/(?:tcp|udp)/|Network is unreachable|connect: Permission denied"
                    + "|PermissionError: \\[Errno 1\\]");

    /**
     * The host's shared temporary directories, where other programs keep what must not be handed
     * to a command: Kerberos tickets ({@code /tmp/krb5cc_UID}), agent sockets
     * ({@code /tmp/ssh-XXXX}), terminal multiplexers' sockets, the JVMs' performance data. A
     * forged denial of {@code /tmp/krb5cc_0} got the hint {@code --ro /tmp/krb5cc_0} (red team,
     * round 16); a command's own temporary files are in its private, writable {@code $TMPDIR}.
     */
    private static final List<Path> SHARED_TEMPORARY = sharedTemporary();

    private Denials() {}

    private static List<Path> sharedTemporary() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String dir : List.of("/tmp", "/var/tmp", "/dev/shm", System.getProperty("java.io.tmpdir", "/tmp"))) {
            dirs.add(realOrSelf(Path.of(dir)));
        }
        return List.copyOf(dirs);
    }

    /** The denials of each failed stage, from its stderr and its plan. */
    static List<ExecResult.Denial> read(List<ExecResult.Stage> stages, List<String> stderr, List<AccessPlan> plans,
                                        dev.awssandbox.core.access.Host host, Path home, String pathVariable,
                                        Path workingDirectory) {
        SensitiveLocations sensitive = SensitiveLocations.forHome(home);
        DataDirectories data = DataDirectories.of(home, pathVariable + loginPath(sensitive.homes()), workingDirectory);
        // other users' homes: read once for all the lines, and only when some line names a path
        java.util.concurrent.atomic.AtomicReference<List<Path>> read = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Supplier<List<Path>> others = () -> read.updateAndGet(r -> r != null ? r : otherHomes(sensitive.homes()));
        // whether a directory is, holds or lies in what the git rule protects: asked once per directory
        java.util.Map<Path, Boolean> gitMemo = new java.util.HashMap<>();
        java.util.function.Predicate<Path> git = dir -> gitMemo.computeIfAbsent(dir,
                d -> dev.awssandbox.core.access.GitProtection.why(d, host).isPresent());
        Set<ExecResult.Denial> denials = new LinkedHashSet<>();
        for (int i = 0; i < stages.size(); i++) {
            if (!stages.get(i).failed()) {
                continue;
            }
            AccessPlan plan = plans.get(i);
            for (String line : stderr.get(i).lines().toList()) {
                if (plan.network() != NetworkMode.ALL && NETWORK.matcher(line).find()) {
                    if (plan.network() == NetworkMode.HOSTS) {
                        continue; // the egress proxy states what it refused; a direct connection has no host to allow
                    }
                    if (namesThisHostOrItsLinks(stderr.get(i))) {
                        // "run it with the network on" would open this host's and the metadata services; bash
                        // says "connect: …" and "/dev/tcp/HOST/PORT: …" on lines of their own
                        continue;
                    }
                    denials.add(new ExecResult.Denial.NetworkOff(i));
                    continue;
                }
                Matcher denied = DENIED.matcher(line);
                if (!denied.find()) {
                    Matcher readOnly = READ_ONLY.matcher(line);
                    if (plan.workingDirectoryWithheld().isPresent() && readOnly.find()) {
                        // bubblewrap shows a withheld working directory as an empty read-only one: EROFS there
                        inWithheldWorkingDirectory(i, line, nearestPath(line, readOnly), plan, sensitive).ifPresent(denials::add);
                    }
                    continue;
                }
                if (line.startsWith("bwrap: ")) {
                    // bwrap's own failure to start the program ("bwrap: execvp /w/tool3: Permission denied": its #!
                    // interpreter not executable) is no denial of a path: --rw of its directory was advised (red
                    // team, round 19, INFO); the plan fails such a program before it runs where it can tell
                    continue;
                }
                String nearest = nearestPath(line, denied);
                if (plan.workingDirectoryWithheld().isPresent()) {
                    // a path in the withheld working directory, or a relative one (there too): the fact, whatever
                    // the rules below would say of the path (a forged line gets no grant named either way)
                    Optional<ExecResult.Denial> withheld = inWithheldWorkingDirectory(i, line, nearest, plan, sensitive);
                    if (withheld.isPresent()) {
                        denials.add(withheld.get());
                        continue;
                    }
                }
                if (nearest != null) {
                    // the programs' own installations and PATH's: code that runs later, outside (red team, round 19, F1)
                    dev.awssandbox.core.access.ProgramLocations programs = dev.awssandbox.core.access.ProgramLocations.of(
                            plan.grants(), pathVariable + loginPath(sensitive.homes()), sensitive.homes());
                    denial(i, Path.of(nearest).normalize(), plan, sensitive, others, data, git, host)
                            .filter(d -> !namesProgramLocation(d, programs)).ifPresent(denials::add);
                }
            }
        }
        return List.copyOf(denials);
    }

    /** A relative path to a hidden entry on a line ({@code .ssh/id_rsa}, {@code '.netrc'}): another program's, or a key. */
    private static final Pattern HIDDEN_RELATIVE = Pattern.compile("(?:^|[\\s'\"‘`(=:])\\.[A-Za-z0-9_]");
    /** EROFS: how bubblewrap's withheld working directory (an empty, read-only one) refuses a write. */
    private static final Pattern READ_ONLY = Pattern.compile("Read-only file system");

    /**
     * The path nearest the denial's words on the line: the one denied ("prog: PATH: Permission denied",
     * "Permission denied: 'PATH'"); others on the line are context. Null when the line names no absolute path.
     */
    private static String nearestPath(String line, Matcher denied) {
        Matcher m = PATH.matcher(line);
        String nearest = null;
        int best = Integer.MAX_VALUE;
        while (m.find()) {
            int distance = m.end() <= denied.start() ? denied.start() - m.end() : m.start() - denied.end();
            if (distance >= 0 && distance < best) {
                best = distance;
                nearest = m.group(1);
            }
        }
        return nearest;
    }

    /**
     * A denial of {@code nearest} (the absolute path nearest the denial's words on {@code line}, or null when it names
     * none) as a path in the plan's working directory, which the plan withholds: an absolute path there, or none on the
     * line ({@code cat: data.txt: Permission denied}, {@code ls: cannot open directory '.'}: relative, so there). A path
     * elsewhere is the other rules' (outside test WF31, F1: every failure in a withheld directory had been blamed on it);
     * a key's or another program's settings (also relative, {@code .ssh/id_rsa}), or a working directory that is one,
     * gets nothing (RT44, F4; RT45, F4).
     */
    private static Optional<ExecResult.Denial> inWithheldWorkingDirectory(int stage, String line, String nearest,
                                                                         AccessPlan plan, SensitiveLocations sensitive) {
        Path directory = plan.workingDirectory();
        Path realDirectory = realOrSelf(directory);
        if (sensitive.whyInsideCredentials(realDirectory).isPresent() || hiddenInAHome(realDirectory, sensitive.homes())) {
            return Optional.empty(); // run from ~/.ssh: no word of granting a part of it (outside test RT45, F4)
        }
        if (nearest == null) {
            // a relative path: of a hidden entry ('.ssh/id_rsa' from $HOME) nothing is said (RT45, F4)
            return HIDDEN_RELATIVE.matcher(line).find() ? Optional.empty()
                    : Optional.of(new ExecResult.Denial.InWithheldWorkingDirectory(stage, directory));
        }
        Path path = Path.of(nearest).normalize();
        Path real = realOrSelf(path);
        if (sensitive.whyInsideCredentials(real).isPresent() || hiddenInAHome(real, sensitive.homes())) {
            // a key or another program's settings (a forged "~/.ssh: Permission denied" from $HOME): no word that a
            // grant of its directory would do (outside test RT44, F4)
            return Optional.empty();
        }
        return path.startsWith(directory) || path.startsWith(realDirectory)
                ? Optional.of(new ExecResult.Denial.InWithheldWorkingDirectory(stage, path)) : Optional.empty();
    }

    private static Optional<ExecResult.Denial> denial(int stage, Path path, AccessPlan plan, SensitiveLocations sensitive,
                                                      java.util.function.Supplier<List<Path>> otherHomes, DataDirectories data,
                                                      java.util.function.Predicate<Path> git,
                                                      dev.awssandbox.core.access.Host host) {
        if (path.startsWith("/dev/tcp") || path.startsWith("/dev/udp") || path.startsWith("/proc")) {
            return Optional.empty();
        }
        Path real = realOrSelf(path);
        if (inProgramDirectory(real) || inAnEnvironment(real) || newInAHome(real, sensitive.homes())) {
            return Optional.empty();
        }
        if (sensitive.whyInsideCredentials(real).isPresent() || real.startsWith("/etc")
                || SHARED_TEMPORARY.stream().anyMatch(real::startsWith) || hiddenInAHome(real, sensitive.homes())
                || otherHomes.get().stream().anyMatch(real::startsWith)) {
            return Optional.empty();
        }
        for (PathGrant withheld : plan.withheld()) {
            if (real.startsWith(withheld.resolved())) {
                ExecResult.Denial.Protected.Kind kind = withheld.resolved().toString().contains("/.git")
                        || withheld.reason().contains("git") ? ExecResult.Denial.Protected.Kind.GIT_METADATA
                        : withheld.reason().contains("AWS credentials") ? ExecResult.Denial.Protected.Kind.CREDENTIALS
                        : ExecResult.Denial.Protected.Kind.INSTALLATION;
                return Optional.of(new ExecResult.Denial.Protected(stage, path, withheld.path(), kind));
            }
        }
        boolean readable = plan.grantsRead(real);
        boolean writable = plan.grants().stream()
                .anyMatch(g -> g.access() == PathGrant.Access.READ_WRITE && real.startsWith(g.resolved()));
        if (writable) {
            return Optional.empty(); // not ours: the sandbox allows it, the file system refused
        }
        Path allow = Files.isDirectory(real) ? real : real.getParent();
        if (allow == null || sensitive.whyNotDirectory(allow).isPresent()) {
            allow = real; // never /, $HOME, /etc or a directory that holds keys: the path itself
            if (Files.isDirectory(allow) && sensitive.whyNotDirectory(allow).isPresent()) {
                return Optional.empty();
            }
        }
        if (allow.getParent() == null || allow.getParent().getParent() == null) {
            // never an entry of / itself: the system's (a swap file, an installer script, /.dockerenv, /lost+found,
            // /old_root), whether the denied path is it or lies in it (outside tests RT15, F6; RT16, F2; RT17, F1: a file
            // created in /old_root was advised --rw /old_root). A deeper directory (/data/x/) may be named
            return Optional.empty();
        }
        if (data.whyNot(allow).isPresent()) {
            return Optional.empty();
        }
        // never a grant the git rule would refuse or that would expose what git runs: .git, a hooks
        // directory or a file the repository's config names, or a directory holding one (red team, round 18, F2)
        if (git.test(allow)) {
            return Optional.empty();
        }
        // the CLI's hint offers --rw of it (a NotReadable's too): never one that would be refused
        if (dev.awssandbox.core.access.AccessPlanner.whyNeverWritable(realOrSelf(allow), host).isPresent()) {
            return Optional.empty();
        }
        Path mustExist = allow.equals(real) ? real.getParent() : allow; // a file to create: its directory
        if (mustExist == null || !Files.isDirectory(mustExist)) {
            // the sandbox denies what exists (a missing one is ENOENT under either backend): a message naming a
            // path under no existing directory is not the sandbox's, and --ro of it would be a usage error
            // (red team, round 15)
            return Optional.empty();
        }
        if (readable) {
            return Optional.of(new ExecResult.Denial.NotWritable(stage, path, allow));
        }
        // a denied path that is not there was being created: reading would not have helped (workflow finding F14:
        // "cannot create F: Permission denied" was advised --ro of its directory first)
        return Optional.of(Files.exists(real, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? new ExecResult.Denial.NotReadable(stage, path, allow)
                : new ExecResult.Denial.NotCreatable(stage, path, allow));
    }

    /**
     * Whether a read or write denial would advise a grant of (or around) where programs live whose
     * code runs later outside the sandbox: the plan's derived installations ({@code --rw} of a
     * venv's {@code site-packages} was advised and followed: red team, round 19, F1), a directory on
     * {@code PATH} or the prefix of one ({@code ~/go/pkg/mod}), a home's tool locations
     * ({@code ~/miniconda3}).
     */
    private static boolean namesProgramLocation(ExecResult.Denial denial, dev.awssandbox.core.access.ProgramLocations programs) {
        return switch (denial) {
            case ExecResult.Denial.NotReadable d -> programs.why(realOrSelf(d.path())).isPresent()
                    || programs.why(realOrSelf(d.allow())).isPresent();
            case ExecResult.Denial.NotWritable d -> programs.why(realOrSelf(d.path())).isPresent()
                    || programs.why(realOrSelf(d.allow())).isPresent();
            default -> false;
        };
    }

    /** A URL's host and port, or bash's {@code /dev/tcp/HOST/PORT}. */
    private static final Pattern TARGET = Pattern.compile(
            "[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@\\s\"']*@)?(\\[[^\\]\\s]+\\]|[^/:\\s\"'?#\\]\\[]+)(?::(\\d{1,5}))?"
                    + "|/dev/(?:tcp|udp)/([^/\\s]+)/(\\d{1,5})");

    /**
     * Whether {@code text} names as a target this host (loopback, {@code localhost}, its
     * interfaces' addresses), a link-local address or a metadata service — what the egress proxy
     * refuses as local, mapped forms too: the network on ({@code all}) would give it to the command,
     * so a refusal of it is no denial to lift (red team, round 18: a forged "Could not connect to the
     * endpoint URL: http://169.254.169.254/…" with {@code --no-network} got "run it with the network on").
     */
    private static boolean namesThisHostOrItsLinks(String text) {
        Matcher m = TARGET.matcher(text);
        while (m.find()) {
            String host = m.group(1) != null ? m.group(1) : m.group(3);
            String port = m.group(1) != null ? m.group(2) : m.group(4);
            int number = port == null ? 80 : Integer.parseInt(port);
            if (!dev.awssandbox.core.egress.EgressProxy.worthSuggesting(host, number > 65535 ? 80 : number)) {
                return true;
            }
        }
        return false;
    }

    /** The names of directories that hold programs, wherever they are. */
    private static final Set<String> PROGRAM_DIRECTORIES = Set.of("bin", "sbin", "libexec");

    /**
     * The directories the common shell profiles put on a login shell's {@code PATH} when they exist
     * (Debian's and Ubuntu's {@code ~/.profile}: {@code ~/bin}, {@code ~/.local/bin}; Go's and
     * Rust's installers: {@code ~/go/bin}, {@code ~/.cargo/bin}), which the JVM's own {@code PATH}
     * need not show: a forged denial got {@code --rw ~/bin} (red team, round 18). As
     * {@code :}-separated entries to append to a {@code PATH}.
     */
    private static String loginPath(List<Path> homes) {
        StringBuilder entries = new StringBuilder();
        for (Path home : homes) {
            for (String dir : List.of("bin", ".local/bin", "go/bin", ".cargo/bin")) {
                entries.append(':').append(home.resolve(dir));
            }
        }
        return entries.toString();
    }

    /**
     * Whether {@code real} is in (or is) a directory named {@code bin}, {@code sbin} or
     * {@code libexec}: what is written there is run later, by whoever has it on {@code PATH}
     * (red team, round 18: {@code --rw ~/bin}, {@code ~/go/bin}).
     */
    private static boolean inProgramDirectory(Path real) {
        for (Path name : real) {
            if (PROGRAM_DIRECTORIES.contains(name.toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code real} lies in a Python virtual environment or a conda environment (its {@code pyvenv.cfg} or {@code
     * conda-meta} in {@code real} or a directory above it): the programs and libraries installed there run later, and a
     * forged denial in one that is on no {@code PATH} got {@code --rw} of it (outside attack of 2026-12-06, HD-1).
     */
    private static boolean inAnEnvironment(Path real) {
        for (Path dir = real; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pyvenv.cfg")) || Files.isDirectory(dir.resolve("conda-meta"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code real} is a name right in one of the user's homes that does not exist: its hint
     * would make it creatable ({@code --rw /root/x}), and a new {@code ~/bin} is on the next login
     * shell's {@code PATH} (red team, round 18).
     */
    private static boolean newInAHome(Path real, List<Path> own) {
        return own.contains(real.getParent()) && !Files.exists(real, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Whether {@code real} is or lies in a hidden file or directory of one of the user's homes (the
     * policy's {@code $HOME} and the account's own, when they differ): shell start-up files and
     * history, {@code ~/.netrc}, {@code ~/.pgpass} — {@code /root/.bash_history} got a hint with
     * {@code $HOME} elsewhere (red team, round 17) — and, the same thing one level down, other
     * programs' settings, credentials and caches: {@code /root/.claude}, {@code /root/.m2},
     * {@code /root/.npm/_cacache} got {@code --rw} with {@code $HOME} elsewhere (red team, round 22, F7).
     * A hidden directory of one home that holds the other is not: there the other home's entries decide.
     */
    private static boolean hiddenInAHome(Path real, List<Path> own) {
        for (Path home : own) {
            if (!real.startsWith(home) || real.equals(home)) {
                continue;
            }
            Path entry = home.resolve(home.relativize(real).getName(0));
            // a hidden directory that holds the other home ($HOME=/root/.cache/x/home) is where this
            // run's home is kept, not another program's settings: judged by that home's own entries
            if (entry.getFileName().toString().startsWith(".")
                    && own.stream().noneMatch(other -> !other.equals(home) && other.startsWith(entry))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The home directories of other users than the one the command runs for ({@code /etc/passwd}'s
     * homes other than {@code /}, and every directory in {@code /home}): nothing in them is named (a
     * forged denial got {@code --rw /home/bob}: red team, round 17). Where passwd cannot be read,
     * {@code /}: then nothing at all is named.
     */
    private static List<Path> otherHomes(List<Path> own) {
        Set<Path> homes = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 7 && fields[5].startsWith("/") && fields[5].length() > 1) {
                    homes.add(realOrSelf(Path.of(fields[5]).normalize()));
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return List.of(Path.of("/")); // cannot tell: name nothing
        }
        try (var entries = Files.newDirectoryStream(Path.of("/home"))) {
            entries.forEach(entry -> homes.add(realOrSelf(entry)));
        } catch (java.io.IOException | java.nio.file.DirectoryIteratorException e) {
            // no /home: the passwd homes alone
        }
        homes.removeAll(own);
        return List.copyOf(homes);
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            Path parent = path.getParent();
            if (parent != null) {
                try {
                    return parent.toRealPath().resolve(path.getFileName());
                } catch (java.io.IOException ignored) {
                    // fall through
                }
            }
            return path;
        }
    }
}
