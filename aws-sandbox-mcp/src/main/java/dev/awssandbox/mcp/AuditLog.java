package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The audit log: one JSON object per line for every command aws-sandbox was asked to run (by the
 * MCP tools, or by {@code run}/{@code pipe}), refused ones included. Callers pass values already
 * redacted; this class adds the time and writes the line.
 *
 * <p>Safe under concurrent appends, from threads of this JVM and from other processes writing the
 * same file: the file is opened with {@code O_APPEND} and every line is written by one
 * {@code write(2)} of the whole line (the kernel appends it at the end in one piece), under a lock
 * within this JVM. A new file is created private to the user (0600). A line that cannot be written
 * is reported once on the JVM's log and never fails the command.
 */
public final class AuditLog implements AutoCloseable {
    /** The environment variable naming the file ({@code --audit-log} sets it too). */
    public static final String ENV_VAR = "AWS_MCP_AUDIT_LOG";

    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
    private static final AuditLog NONE = new AuditLog(null, null);

    /**
     * Writes every line: a platform thread that nothing interrupts. A FileChannel is closed for
     * good when a thread writing to it is interrupted, and calls are interrupted when they are
     * cancelled; the caller waits for its line instead.
     */
    private static final ExecutorService WRITER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aws-sandbox-audit-log");
        t.setDaemon(true);
        return t;
    });

    private final Path file;
    private final SeekableByteChannel out;
    private boolean failed;

    private AuditLog(Path file, SeekableByteChannel out) {
        this.file = file;
        this.out = out;
    }

    /** No audit log. */
    public static AuditLog none() {
        return NONE;
    }

    /** The file named by {@link #ENV_VAR}, or none; an unusable name is an error that says which and why. */
    public static AuditLog fromEnvironment(HostEnvironment host) throws SandboxException {
        Optional<String> named = host.get(ENV_VAR).filter(v -> !v.isBlank());
        if (named.isEmpty()) {
            return none();
        }
        return open(host.expand(named.get().strip()), ENV_VAR + "=" + named.get());
    }

    /**
     * Opens (creating, 0600) {@code file} for appending.
     *
     * @param source what named it, for the error message ({@code --audit-log FILE}, or the variable)
     */
    public static AuditLog open(Path file, String source) throws SandboxException {
        check(file, source);
        return openPinned(file, source);
    }

    /**
     * The checks {@link #open} makes by name before it opens (and perhaps creates) {@code file}:
     * for an error at start that leaves nothing behind.
     */
    public static void check(Path file, String source) throws SandboxException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw invalid(source + ": the directory " + parent + " does not exist; create it, or name a file in an"
                    + " existing directory");
        }
        Optional<Path> link = parent == null ? Optional.empty() : linkOnTheWay(parent.normalize());
        if (link.isPresent()) {
            // a sandboxed command planted logs -> ~ and the server wrote ~/.bashrc (red team, round 5)
            throw invalid(source + ": " + file + " goes through the symbolic link " + link.get() + ", in a directory"
                    + " this user can write; name the log's real path");
        }
        try {
            // never through a link, never into a FIFO or device: a link planted at the path made the
            // server append to any file (and create it 0644); a FIFO hung the start (red team, round 4)
            BasicFileAttributes existing = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!existing.isRegularFile()) {
                throw invalid(source + ": " + file + " is " + (existing.isSymbolicLink() ? "a symbolic link"
                        : existing.isDirectory() ? "a directory" : "not a regular file (a FIFO, socket or device)")
                        + "; name a regular file (it is created, 0600, if missing)");
            }
            Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            if (links instanceof Integer n && n > 1) {
                throw invalid(source + ": " + file + " has " + n + " hard links (the lines would land in another"
                        + " file too); name a file of its own");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no unix view: no hard-link count to check
        } catch (NoSuchFileException e) {
            // created below
        } catch (IOException e) {
            throw invalid(source + ": cannot examine " + file + " (" + e.getMessage() + ")");
        }
        // a new log as well as an existing one: what holds it decides where its lines land
        Optional<String> mounted = Optional.empty();
        if (parent != null) {
            try {
                mounted = mountTrouble(parent.toRealPath().resolve(file.getFileName()));
            } catch (IOException e) {
                // it vanished: the open below fails and says so
            }
        }
        if (mounted.isPresent()) {
            throw invalid(source + ": " + file + " " + mounted.get() + "; name a file of its own, outside it");
        }
    }

    /** The file {@link #ENV_VAR} names, if any. */
    public static Optional<Path> named(HostEnvironment host) {
        return host.get(ENV_VAR).filter(v -> !v.isBlank()).map(v -> host.expand(v.strip()));
    }

    /** Opens {@code file} for appending through {@link #pinned} (tests: without the checks by name before it). */
    static AuditLog openPinned(Path file, String source) throws SandboxException {
        Path parent = file.toAbsolutePath().getParent();
        Set<java.nio.file.OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        try {
            SeekableByteChannel channel;
            Optional<SecureDirectoryStream<Path>> directory = parent == null ? Optional.empty() : pinned(parent, source, file);
            if (directory.isPresent()) {
                try (SecureDirectoryStream<Path> dir = directory.get()) {
                    channel = dir.newByteChannel(file.getFileName(), options, PRIVATE);
                }
            } else {
                try {
                    channel = FileChannel.open(file, options, PRIVATE);
                } catch (UnsupportedOperationException e) {
                    channel = FileChannel.open(file, options);
                }
            }
            return new AuditLog(file.toAbsolutePath(), channel);
        } catch (IOException e) {
            throw invalid(source + ": cannot open " + file + " for appending (" + e.getMessage()
                    + "); name a regular file this user may write");
        }
    }

    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * The log's directory, opened component by component from {@code /}, each one relative to the
     * directory before it ({@code openat} with {@code O_NOFOLLOW}) and never through a link in a
     * directory this user can write: what {@link #linkOnTheWay} checked by name is what is opened,
     * even while a command swaps a directory on the way for a link (red team, round 7: a command
     * exchanged {@code logs} and a link to {@code ~} until the log was opened as {@code ~/.bashrc}).
     * Empty where the JDK offers no such directory stream (the check by name then stands alone).
     */
    private static Optional<SecureDirectoryStream<Path>> pinned(Path directory, String source, Path file)
            throws IOException, SandboxException {
        Path absolute = directory.toAbsolutePath();
        Optional<SecureDirectoryStream<Path>> root = openSecure(absolute.getRoot());
        if (root.isEmpty()) {
            return Optional.empty();
        }
        SecureDirectoryStream<Path> current = root.get();
        java.util.Deque<Path> names = new java.util.ArrayDeque<>();
        absolute.forEach(names::addLast);
        Path where = absolute.getRoot();
        int hops = 0;
        try {
            while (!names.isEmpty()) {
                Path name = names.pollFirst();
                if (name.toString().equals(".")) {
                    continue;
                }
                BasicFileAttributes entry = current.getFileAttributeView(name,
                        java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                if (entry.isSymbolicLink()) {
                    if (where.getNameCount() > 0 && Files.isWritable(where) || !onlyRootWrites(current)) {
                        throw invalid(source + ": " + file + " goes through the symbolic link " + where.resolve(name)
                                + ", in a directory this user can write; name the log's real path");
                    }
                    Path target = Files.readSymbolicLink(where.resolve(name)); // a directory only root writes
                    if (++hops > 40) {
                        throw invalid(source + ": " + file + " goes through too many symbolic links");
                    }
                    List<Path> targetNames = new java.util.ArrayList<>();
                    target.forEach(targetNames::add);
                    for (int i = targetNames.size() - 1; i >= 0; i--) {
                        names.addFirst(targetNames.get(i));
                    }
                    if (target.isAbsolute()) {
                        SecureDirectoryStream<Path> fromRoot = openSecure(target.getRoot()).orElseThrow(
                                () -> new IOException("cannot open " + target.getRoot()));
                        current.close();
                        current = fromRoot;
                        where = target.getRoot();
                    }
                    continue;
                }
                // O_NOFOLLOW: a link swapped in since it was examined fails here instead of being followed
                SecureDirectoryStream<Path> next = current.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                current.close();
                current = next;
                where = name.toString().equals("..") ? (where.getParent() == null ? where : where.getParent())
                        : where.resolve(name);
            }
            return Optional.of(current);
        } catch (IOException | SandboxException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    private static Optional<SecureDirectoryStream<Path>> openSecure(Path directory) throws IOException {
        java.nio.file.DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return Optional.of(secure);
        }
        stream.close();
        return Optional.empty();
    }

    /** Whether root alone can write the directory {@code dir} holds open: owned by root, no group or other write bit. */
    private static boolean onlyRootWrites(SecureDirectoryStream<Path> dir) throws IOException {
        java.nio.file.attribute.PosixFileAttributes attributes =
                dir.getFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class).readAttributes();
        Set<java.nio.file.attribute.PosixFilePermission> mode = attributes.permissions();
        return attributes.owner().getName().equals("root")
                && !mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                && !mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * Refuses the log {@code file}, before it is opened (a refused one leaves nothing), when a command it records could write it ({@code writable}: the sandbox's
     * answer for the commands' grants, bind mounts included): it could rewrite or remove the log,
     * and later lines would go to a file nobody reads (red team, round 7: {@code aws s3 cp …
     * ./audit.jsonl} in the MCP workspace; round 8: the same through a bind mount of it).
     */
    public static void refuseWritable(Path file, java.util.function.Predicate<Path> writable, String source)
            throws SandboxException {
        if (writable.test(file)) {
            throw invalid(source + ": " + file + " is in a directory the sandboxed commands can write: one could"
                    + " rewrite or remove the log; name a file outside it");
        }
    }

    /**
     * The first symbolic link on the way to {@code directory} (absolute, normalised) whose own directory this
     * user can write, if any: the host's own links ({@code /var -> private/var} on macOS) lie in
     * directories only root writes.
     */
    private static Optional<Path> linkOnTheWay(Path directory) {
        Path current = directory.getRoot();
        for (Path name : directory) {
            Path next = current.resolve(name);
            if (Files.isSymbolicLink(next)) {
                if (current.getNameCount() > 0 && Files.isWritable(current)) {
                    return Optional.of(next);
                }
                try {
                    next = next.toRealPath();
                } catch (IOException e) {
                    return Optional.empty(); // dangling: refused when opened
                }
            }
            current = next;
        }
        return Optional.empty();
    }

    /**
     * Why the mount table makes {@code real} a place where the lines could land in another file:
     * it is a mount point (a bind of another file, the mount form of a hard link: a bind of
     * ~/.bashrc took the lines, red team round 9), or it lies in an overlay (its upper directory
     * could be any directory, named relatively: round 10). Empty where there is no mount table.
     */
    private static Optional<String> mountTrouble(Path real) {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(mountinfo)) {
            return Optional.empty();
        }
        List<String[]> mounts;
        try (java.util.stream.Stream<String> lines = Files.lines(mountinfo)) {
            mounts = lines.map(line -> line.split(" ")).filter(fields -> fields.length > 4).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
        // the kernel writes space, tab, newline and backslash of a mount point in octal
        String escaped = real.toString().replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
                .replace("\n", "\\012");
        String[] holder = null;
        for (String[] fields : mounts) {
            if (fields[4].equals(escaped)) {
                return Optional.of("is a mount point (a bind of another file: the lines would land there)");
            }
            boolean above = fields[4].equals("/") || escaped.startsWith(fields[4] + "/");
            if (above && (holder == null || fields[4].length() >= holder[4].length())) {
                holder = fields;
            }
        }
        if (holder != null && !holder[4].equals("/")) {
            int dash = java.util.Arrays.asList(holder).indexOf("-");
            String type = dash > 0 && dash + 1 < holder.length ? holder[dash + 1] : "";
            if (type.equals("overlay")) {
                return Optional.of("lies in the overlay mount " + holder[4] + ", whose writes land in a directory"
                        + " the mount table cannot name reliably");
            }
            if (type.equals("fuse") || type.equals("fuseblk") || type.startsWith("fuse.")) {
                // bindfs of a directory the commands can write showed the log there (red team, round 11)
                return Optional.of("lies in the " + type + " mount " + holder[4] + ", a user-space file system whose"
                        + " files can be another directory's");
            }
        }
        return Optional.empty();
    }

    private static SandboxException invalid(String message) {
        return new SandboxException(SandboxException.Kind.INVALID_REQUEST, message, Optional.empty());
    }

    public boolean enabled() {
        return out != null;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Appends one record, {@code time} first. */
    public void write(Map<String, Object> record) {
        if (out == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.putAll(record);
        byte[] bytes;
        try {
            bytes = (McpJsonDefaults.getMapper().writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            warn(e);
            return;
        }
        // O_APPEND; one write(2) of the whole line (the loop runs only on a short write)
        Future<?> written = WRITER.submit(() -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            return null;
        });
        // the line is written all the same when the caller is interrupted; its interrupt is kept
        Uninterruptibly.await(() -> {
            try {
                written.get();
            } catch (ExecutionException e) {
                warn(e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
            }
        });
    }

    private synchronized void warn(IOException e) {
        if (!failed) {
            failed = true;
            LOG.log(System.Logger.Level.WARNING, "cannot write the audit log " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
