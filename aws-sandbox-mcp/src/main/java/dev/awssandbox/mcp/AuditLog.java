package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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

    private final Path file;
    private final FileOutputStream out;
    private boolean failed;

    private AuditLog(Path file, FileOutputStream out) {
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
        if (Files.isDirectory(file)) {
            throw invalid(source + ": " + file + " is a directory; name a file (it is created if missing)");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw invalid(source + ": the directory " + parent + " does not exist; create it, or name a file in an"
                    + " existing directory");
        }
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // appended to
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            // a stream, not a FileChannel: an interrupted call (a cancelled one) would close it for everyone
            return new AuditLog(file.toAbsolutePath(), new FileOutputStream(file.toFile(), true));
        } catch (IOException e) {
            throw invalid(source + ": cannot open " + file + " for appending (" + e.getMessage()
                    + "); name a file this user may write");
        }
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
        synchronized (this) {
            try {
                out.write(bytes); // O_APPEND; one write(2) of the whole line (the JDK loops only on a short write)
            } catch (IOException e) {
                warn(e);
            }
        }
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
