package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A script whose {@code #!} interpreter does not exist. The kernel answers {@code execve} with
 * ENOENT, which names the script as if the script were missing ("cannot execute ./x.sh: ENOENT";
 * before, a {@code prlimit:} or {@code bwrap:} error): this finds the interpreter to name instead.
 */
final class MissingInterpreter {
    /** The kernel reads at most this much of a {@code #!} line (BINPRM_BUF_SIZE). */
    private static final int LINE_LIMIT = 256;

    private MissingInterpreter() {}

    /** The interpreter named by {@code program}'s {@code #!} line, when that does not exist. */
    static Optional<Path> of(String program, HostEnvironment host) {
        return locate(program, host).flatMap(MissingInterpreter::interpreter).filter(p -> !Files.exists(p));
    }

    /** Where {@code program} is: a path (relative to the working directory), else the first on PATH. */
    private static Optional<Path> locate(String program, HostEnvironment host) {
        if (program.contains("/")) {
            return Optional.of(host.workingDirectory().resolve(program)).filter(Files::isRegularFile);
        }
        for (String dir : host.get("PATH").orElse("").split(":")) {
            Path candidate = host.workingDirectory().resolve(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The absolute interpreter of a {@code #!} line, as the kernel splits it (up to the first blank). */
    private static Optional<Path> interpreter(Path script) {
        byte[] head;
        try (InputStream in = Files.newInputStream(script)) {
            head = in.readNBytes(LINE_LIMIT);
        } catch (IOException e) {
            return Optional.empty();
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("#!")) {
            return Optional.empty();
        }
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).substring(2).strip();
        String first = line.split("[ \t]", 2)[0];
        return first.startsWith("/") ? Optional.of(Path.of(first)) : Optional.empty();
    }
}
