package dev.awssandbox.core.access;

import dev.awssandbox.core.PathGrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds what it takes to run a program: the program itself, each symlink hop, the interpreters
 * named by {@code #!} lines (through {@code /usr/bin/env}), and each one's installation
 * directories. That is how an AWS CLI installed under {@code $HOME} (pyenv, pipx, a venv,
 * {@code ~/.local}) runs without the rest of {@code $HOME} being opened.
 *
 * <p>Installation directories, for a program whose real path is {@code R}:
 * <ul>
 *   <li>{@code <root>/shims/R} with a {@code <root>/libexec} beside it (pyenv, rbenv): the whole
 *       {@code <root>}, since the shim picks the real program at run time;</li>
 *   <li>{@code <root>/bin/R} or {@code sbin}: {@code <root>/bin}, {@code sbin}, {@code lib},
 *       {@code lib64}, {@code libexec} and {@code <root>/pyvenv.cfg};</li>
 *   <li>anything else (e.g. the AWS CLI v2's {@code dist/}): R's directory.</li>
 * </ul>
 * A root or directory that is {@code /}, {@code $HOME} or an ancestor of {@code $HOME} is never
 * granted; only the program file is.
 */
public final class ExecutableChain {
    private static final int MAX_DEPTH = 8;
    private static final int MAX_LINK_HOPS = 40;
    private static final int MAX_SHEBANG = 256;

    private final Path home;
    private final List<String> searchPath;
    private final List<Path> chain = new ArrayList<>();
    private final List<PathGrant> grants = new ArrayList<>();

    private ExecutableChain(Path home, List<String> searchPath) {
        this.home = realOrSelf(home);
        this.searchPath = searchPath;
    }

    /** The result: the chain in order, and the read grants it needs. */
    public record Resolution(List<Path> chain, List<PathGrant> grants) {}

    /**
     * Resolves {@code program} (a name searched on {@code pathVariable}, or a path relative to
     * {@code directory}) and everything it runs through.
     */
    public static Optional<Path> locate(String program, String pathVariable, Path directory) {
        if (program.contains("/")) {
            Path candidate = directory.resolve(program).normalize();
            return isExecutableFile(candidate) ? Optional.of(candidate) : Optional.empty();
        }
        for (String dir : pathVariable.split(":", -1)) {
            Path base = dir.isEmpty() ? directory : directory.resolve(dir);
            Path candidate = base.resolve(program).normalize();
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    /** Resolves the chain of an already located, absolute executable. */
    public static Resolution resolve(Path executable, Path home, String pathVariable) {
        ExecutableChain resolver = new ExecutableChain(home, Arrays.asList(pathVariable.split(":", -1)));
        resolver.follow(executable, 0);
        return new Resolution(List.copyOf(resolver.chain), List.copyOf(resolver.grants));
    }

    private void follow(Path program, int depth) {
        if (depth > MAX_DEPTH || chain.contains(program)) {
            return;
        }
        chain.add(program);
        Path current = program;
        for (int hop = 0; hop < MAX_LINK_HOPS && Files.isSymbolicLink(current); hop++) {
            try {
                current = current.getParent().resolve(Files.readSymbolicLink(current)).normalize();
            } catch (IOException e) {
                break;
            }
            if (!chain.contains(current)) {
                chain.add(current);
            }
        }
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            return;
        }
        grant(program, real, false, "executable");
        grantInstallation(real);
        interpreter(real).ifPresent(next -> follow(next, depth + 1));
    }

    private void grantInstallation(Path real) {
        Path dir = real.getParent();
        if (dir == null || dir.getFileName() == null) {
            return;
        }
        String name = dir.getFileName().toString();
        Path root = dir.getParent();
        if (name.equals("shims") && root != null && Files.isDirectory(root.resolve("libexec"))) {
            grantDirectory(root, "executable installation (shims)");
        } else if ((name.equals("bin") || name.equals("sbin")) && root != null) {
            if (isProtected(root)) {
                return;
            }
            for (String sub : List.of("bin", "sbin", "lib", "lib64", "libexec")) {
                grantDirectory(root.resolve(sub), "executable installation");
            }
            Path venvConfig = root.resolve("pyvenv.cfg");
            if (Files.isRegularFile(venvConfig, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                grant(venvConfig, venvConfig, false, "executable installation"); // never through a symlink
            }
        } else {
            grantDirectory(dir, "executable installation");
        }
    }

    private void grantDirectory(Path dir, String reason) {
        if (isProtected(dir) || !Files.isDirectory(dir)) {
            return;
        }
        try {
            Path real = dir.toRealPath();
            // checked again where it leads: a writable project could point .venv/lib64 at / (found in review)
            if (!isProtected(real)) {
                grant(dir, real, true, reason);
            }
        } catch (IOException e) {
            // vanished meanwhile: nothing to grant
        }
    }

    /** "/", $HOME and its ancestors (spelled or resolved) are never opened wholesale. */
    private boolean isProtected(Path dir) {
        return dir.getParent() == null || home.startsWith(dir) || home.startsWith(realOrSelf(dir));
    }

    private void grant(Path path, Path real, boolean directory, String reason) {
        grants.add(new PathGrant(path, real, PathGrant.Access.READ, directory, reason));
    }

    /** The interpreter a {@code #!} line names, located (through {@code env}) on the search path. */
    private Optional<Path> interpreter(Path script) {
        byte[] head = new byte[MAX_SHEBANG];
        int length;
        try (InputStream in = Files.newInputStream(script)) {
            length = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (length < 3 || head[0] != '#' || head[1] != '!') {
            return Optional.empty();
        }
        String line = new String(head, 2, length - 2, StandardCharsets.UTF_8);
        int end = line.indexOf('\n');
        if (end < 0) {
            return Optional.empty();
        }
        String[] words = line.substring(0, end).trim().split("[ \t]+");
        if (words.length == 0 || words[0].isEmpty()) {
            return Optional.empty();
        }
        Path interpreter = Path.of(words[0]);
        if (!interpreter.isAbsolute()) {
            return Optional.empty();
        }
        if (interpreter.getFileName().toString().equals("env")) {
            chain.add(interpreter);
            grant(interpreter, realOrSelf(interpreter), false, "interpreter");
            return envTarget(words);
        }
        return Optional.of(interpreter);
    }

    /** {@code #!/usr/bin/env [-S] NAME [ARGS]}: the first word that is not an option. */
    private Optional<Path> envTarget(String[] words) {
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (word.startsWith("-S")) {
                word = word.substring(2);
                if (word.isEmpty()) {
                    continue;
                }
            } else if (word.startsWith("-") || word.contains("=")) {
                continue;
            }
            return locate(word, String.join(":", searchPath), Path.of("/"));
        }
        return Optional.empty();
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }
}
