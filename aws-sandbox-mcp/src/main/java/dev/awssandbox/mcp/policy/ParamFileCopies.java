package dev.awssandbox.mcp.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checked copies of one call's {@code file://} parameter files: what the policy read and
 * checked is what the AWS CLI reads (red team, mcp round 8, F5: a concurrent call downloaded other
 * content over the workspace's file between the check and the AWS CLI's read). The copies live in a
 * directory of the call's own, made on the first copy, beneath the server's directory for them,
 * which is outside the workspace: no command may write there (the sandbox lets the AWS CLI write only
 * the workspace and its own temporary directory). Each copy keeps its file's name, for messages.
 * Copies are made for every file the AWS CLI reads, in every call: consent is a check too, and a
 * concurrent download rewrote the file while the question was open (red team, mcp round 9, F1); a
 * file's text is checked for what an inline value may not hold (red team, mcp round 14, F1); the
 * question shows what each copy says ({@link ParamFile}).
 */
final class ParamFileCopies {
    /** How much of a file's text the consent question shows, in characters. */
    static final int SHOWN = 2048;

    /** The most bytes of parameter files one call copies, all files together (red team, mcp round 10, F7). */
    static final long MOST_BYTES = 16L << 20;

    /** A size in whole MiB for a message, from the constant, so the two cannot disagree. */
    static String mebibytes(long bytes) {
        return (bytes >> 20) + " MiB";
    }
    /** The most distinct parameter files one call copies. */
    static final int MOST_FILES = 16;

    /** A copy made: where it is, and the bytes it holds (for a file named again). */
    record Copy(Path path, byte[] content) {}

    private final Path parent;
    private final List<ParamFile> files = new ArrayList<>();
    private final java.util.Map<Path, Copy> byFile = new java.util.HashMap<>();
    private Path directory;
    private int count;
    private long bytes;

    /** @param parent where the call's directory goes */
    ParamFileCopies(Path parent) {
        this.parent = parent;
    }

    /** The call's directory, once something was copied. */
    Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** The files copied so far, in order. */
    List<ParamFile> files() {
        return List.copyOf(files);
    }

    /**
     * Writes {@code content} to a new read-only file in the call's directory.
     *
     * @param argument the option or positional that names the file, for the consent question
     * @param given    the value as the model wrote it ({@code file://p})
     * @param name     the parameter file's name in the workspace, for the copy's name
     * @return the copy's absolute path
     */
    Path copy(Path file, String argument, String given, String name, byte[] content, ParamFileText text, String what)
            throws Refused {
        if (count + 1 > MOST_FILES) {
            throw new Refused(what + ": more than " + MOST_FILES + " parameter files in one call; name fewer files");
        }
        if (bytes + content.length > MOST_BYTES) {
            throw new Refused(tooMuch(bytes + content.length));
        }
        bytes += content.length;
        try {
            if (directory == null) {
                directory = Files.createTempDirectory(Files.createDirectories(parent), "call-"); // 0700, a fresh name
            }
            // one subdirectory per file: two parameters may name files of the same name
            Path dir = Files.createDirectory(directory.resolve(Integer.toString(++count)));
            String base = Path.of(name).getFileName() == null ? "file" : Path.of(name).getFileName().toString();
            Path copy = dir.resolve(base);
            Files.write(copy, content, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            setReadOnly(copy);
            // the AWS CLI expands ~ and $VAR in a file:// path: the copy's must not change (the
            // temporary directory's name is the JVM's, the file name passed the workspace check)
            String shown = copy.toString();
            if (shown.indexOf('$') >= 0 || shown.indexOf('~') >= 0) {
                throw new Refused(what + ": the server's directory for checked parameter files (" + parent
                        + ") has '$' or '~' in its path, which the AWS CLI would expand");
            }
            Optional<String> readable = text.exact() ? Optional.of(text.text()) : Optional.empty();
            files.add(new ParamFile(argument, given, copy, content.length, text.encoding(),
                    readable.map(ParamFileCopies::start), readable.map(t -> t.length() <= SHOWN).orElse(false)));
            byFile.put(file, new Copy(copy, content));
            return copy;
        } catch (IOException e) {
            throw new Refused(what + ": the server could not keep a checked copy of the file: " + e.getMessage());
        }
    }

    /** The copy already made of a workspace file (its normalized path), if it was named before in this call. */
    Optional<Copy> copyOf(Path file) {
        return Optional.ofNullable(byFile.get(file));
    }

    /** Why a call's parameter files are refused when together they are too large. */
    static String tooMuch(long total) {
        return "the command's file:// and fileb:// parameter files hold " + total + " bytes together; the server reads"
                + " and copies at most " + mebibytes(MOST_BYTES) + " of them a call (to check them and show them to the"
                + " user); name fewer or smaller files (a file named twice counts once), or upload large content to S3 first";
    }

    /** The first {@link #SHOWN} characters of a text, never half a surrogate pair. */
    private static String start(String text) {
        return text.length() <= SHOWN ? text
                : text.substring(0, Character.isHighSurrogate(text.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN);
    }

    private static void setReadOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        } catch (UnsupportedOperationException e) {
            file.toFile().setReadOnly();
        }
    }

    /** Removes a call's directory and its copies; best effort. */
    static void delete(Path directory) {
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // the server's private directory goes when it stops
        }
    }
}
