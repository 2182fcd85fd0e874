package dev.awssandbox.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A finished command or pipeline.
 *
 * <p>The status follows {@code pipefail}: the status of the rightmost stage that failed, or
 * success; a stage that failed only because a later stage stopped reading early does not count
 * (see {@link ExecResult.Stage#brokenPipe()}).
 *
 * @param stages      every stage, in order (one for a single command)
 * @param status      the pipeline's status (when it timed out: the signal that killed the last stage)
 * @param failedStage index of the stage whose status is the pipeline's, when it failed
 * @param timedOut    whether the deadline expired and everything was killed
 * @param stdout      what the last stage wrote on stdout
 * @param stderr      every stage's stderr, in stage order
 * @param duration    from the first spawn until every stage had exited
 * @param enforcement the isolation of the first stage (each stage has its own in {@link #stages})
 * @param denials     when a stage failed on what looks like a sandbox denial (read from its stderr, or
 *                    recorded by the egress proxy): what was denied, for the caller to turn into advice
 *                    for its own audience
 * @param connections what the stages of network mode hosts asked the egress proxy for, per stage,
 *                    host, port and decision, in the order first asked (empty for other modes)
 */
public record ExecResult(
        List<ExecResult.Stage> stages,
        ExitStatus status,
        OptionalInt failedStage,
        boolean timedOut,
        ExecResult.Captured stdout,
        ExecResult.Captured stderr,
        Duration duration,
        EnforcementReport enforcement,
        List<Denial> denials,
        List<Connection> connections) {

    public ExecResult {
        stages = List.copyOf(stages);
        denials = List.copyOf(denials);
        connections = List.copyOf(connections);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a result has at least one stage");
        }
    }

    /** This result with these denials. */
    public ExecResult withDenials(List<Denial> denials) {
        return new ExecResult(stages, status, failedStage, timedOut, stdout, stderr, duration, enforcement, denials,
                connections);
    }

    /** This result with these connection counts. */
    public ExecResult withConnections(List<Connection> connections) {
        return new ExecResult(stages, status, failedStage, timedOut, stdout, stderr, duration, enforcement, denials,
                connections);
    }

    /**
     * Connections of one stage to one host and port through the egress proxy (network mode hosts),
     * allowed or denied, counted for that stage alone: each stage presents its own token.
     *
     * @param stage         the stage (0-based)
     * @param host          the host as the command asked for it: a lower-case name, or an IP address;
     *                      past 1000 distinct hosts of a stage, {@code "(other hosts)"}, counting all
     *                      the rest together
     * @param port          the port (0 for {@code "(other hosts)"})
     * @param allowed       whether the allow-list let it through
     * @param count         how many connections asked for it
     * @param bytesSent     bytes from the command towards the host
     * @param bytesReceived bytes from the host to the command
     * @param reason        for a denial why ("not an allowed host"), for an allowed host what failed
     *                      ("cannot connect"), else empty
     */
    public record Connection(int stage, String host, int port, boolean allowed, long count, long bytesSent,
                             long bytesReceived, String reason) {

        /** {@code host:port}, an IPv6 address in brackets; the other hosts as they are named. */
        public String hostAndPort() {
            return port == 0 ? host : (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        /**
         * Whether the proxy refused it because no pattern allows its host, or its port ({@link #portNotAllowed()}), not
         * for a failure of an allowed one.
         */
        public boolean notAllowed() {
            return !allowed && (reason.equals(dev.awssandbox.core.egress.EgressProxy.NOT_ALLOWED) || portNotAllowed());
        }

        /** Whether the proxy refused it because the patterns that name its host allow other ports only. */
        public boolean portNotAllowed() {
            return !allowed && reason.equals(dev.awssandbox.core.egress.EgressProxy.PORT_NOT_ALLOWED);
        }

        /**
         * Whether its host is an address no one should be advised to allow, though this host's loopback may be: a
         * link-local, unspecified or multicast address, a cloud metadata service, or an IPv6 address that may carry one.
         */
        public boolean linkOrMetadata() {
            return dev.awssandbox.core.egress.EgressProxy.linkOrMetadata(host);
        }

        /** "allowed s3.amazonaws.com:443 (3 connections, 1024 bytes sent, 2048 received)": for logs. */
        public String summary() {
            return (allowed ? "allowed " : "denied ") + hostAndPort() + " (" + count
                    + (count == 1 ? " connection" : " connections")
                    + (allowed ? ", " + bytesSent + " bytes sent, " + bytesReceived + " received" : "")
                    + (reason.isEmpty() ? "" : ", " + reason) + ")";
        }
    }

    /** The argv of the first stage (the command, for a single command). */
    public List<String> command() {
        return stages.getFirst().command();
    }

    /** Every stage succeeded (or broke its pipe benignly) before any timeout. */
    public boolean isSuccess() {
        return !timedOut && status.isSuccess();
    }

    /** The status a shell would report: exit code, or 128 + signal. */
    public int exitCode() {
        return status.shellStatus();
    }

    public BackendKind backend() {
        return enforcement.backend();
    }

    /** "stage 2 (jq) exit code 5", or "" when nothing failed: for messages. */
    public String failureSummary() {
        if (timedOut) {
            return "timed out after " + duration.toMillis() + " ms; every stage was killed";
        }
        if (failedStage.isEmpty()) {
            return "";
        }
        int i = failedStage.getAsInt();
        ExecResult.Stage stage = stages.get(i);
        return (stages.size() > 1 ? "stage " + (i + 1) + " (" + stage.command().getFirst() + ") " : "") + stage.status();
    }

    /**
     * One command of a finished pipeline (a single command is a pipeline of one).
     *
     * @param command     its argv
     * @param status      how it ended
     * @param brokenPipe  it failed only because the next stage stopped reading early (killed by
     *                    SIGPIPE, or failed after its reader had exited saying "Broken pipe", as Python's
     *                    {@code aws … | head -1} does); such a failure does not fail the pipeline
     * @param stderr      what it wrote on stderr
     * @param enforcement the isolation it ran under (stages may have their own policies)
     * @param workingDirectoryWithheld why it got nothing of its working directory (what that holds or leads to), or
     *                    empty when the working directory was given as its policy asks
     */
    public record Stage(
            List<String> command,
            ExitStatus status,
            boolean brokenPipe,
            ExecResult.Captured stderr,
            EnforcementReport enforcement,
            java.util.Optional<String> workingDirectoryWithheld) {

        public Stage {
            command = List.copyOf(command);
        }

        /** Whether this stage counts as failed for the pipeline's status. */
        public boolean failed() {
            return !status.isSuccess() && !brokenPipe;
        }
    }

    /**
     * Something the sandbox refused a failed stage, as its stderr shows it: facts — the path, what
     * kind of access, or the network — never advice. The CLI words them as options ({@code --ro},
     * {@code --rw}), the MCP server as sentences a model can act on. A command writes its own
     * stderr, so these are read, not proven: a key or credential directory, {@code $HOME},
     * {@code /} or {@code /etc} never appears as something to allow.
     */
    public sealed interface Denial {
        /** The stage that reported it (0-based). */
        int stage();

        /**
         * A path outside the policy: reading it was refused. {@code allow} is what a policy
         * would grant to allow it: its directory, or the path itself where the directory must
         * not be opened (a home, a directory holding keys).
         */
        record NotReadable(int stage, Path path, Path allow) implements Denial {}

        /** A path the policy lets the command read but not write; {@code allow} as for {@link NotReadable}. */
        record NotWritable(int stage, Path path, Path allow) implements Denial {}

        /**
         * A path that was not there, in a directory outside the policy: creating it was refused
         * (opening a missing file to read it fails with "no such file", not with a denial, so
         * nothing but a write can have been). {@code allow} is the directory to grant writing in.
         */
        record NotCreatable(int stage, Path path, Path allow) implements Denial {}

        /**
         * A path kept read-only on purpose inside a writable one: git metadata (which the policy's
         * {@code allowGitWrites} would open) or aws-sandbox's own installation (which nothing opens).
         */
        record Protected(int stage, Path path, Path protectedPath, Kind kind) implements Denial {
            public enum Kind { GIT_METADATA, INSTALLATION, CREDENTIALS }
        }

        /**
         * A path in the working directory was refused, and the plan gave the command nothing of it ({@link
         * Stage#workingDirectoryWithheld()} says why): the failure the withheld directory caused. {@code path} is the
         * path the stderr names, absolute, or the working directory where it names a relative one.
         */
        record InWithheldWorkingDirectory(int stage, Path path) implements Denial {}

        /** A connection was refused: the network is off for the stage. */
        record NetworkOff(int stage) implements Denial {}

        /**
         * A resource limit of the policy stopped the failed stage: the kernel counted it in the
         * command's cgroup (a process killed at the memory bound, a fork refused at the process
         * bound), the stage was killed by the limit's signal ({@code SIGXCPU}, {@code SIGXFSZ}),
         * or its stderr says a file grew too large ({@code EFBIG}, which a program that ignores
         * {@code SIGXFSZ} gets) under a file-size limit, or that an allocation failed under the
         * memory limit's per-process part ({@link Limit#PROCESS_MEMORY}: {@code RLIMIT_DATA}
         * refuses the allocation, which the program reports; the kernel counts nothing).
         *
         * @param value the limit: bytes ({@link Limit#MEMORY}, {@link Limit#PROCESS_MEMORY},
         *              {@link Limit#FILE_SIZE}), processes
         *              and threads ({@link Limit#PROCESSES}) or CPU seconds per process
         *              ({@link Limit#CPU_TIME})
         */
        record LimitReached(int stage, Limit limit, long value) implements Denial {
            /**
             * Which limit of {@link SandboxPolicy.Limits}: {@code MEMORY} the command's memory
             * cgroup (a process killed at the bound), {@code PROCESS_MEMORY} the same limit as each
             * process's data limit (an allocation refused).
             */
            public enum Limit { MEMORY, PROCESS_MEMORY, PROCESSES, CPU_TIME, FILE_SIZE }
        }

        /**
         * The egress proxy refused a connection to {@code host:port}: no pattern of the stage's
         * allowed hosts matches it (network mode hosts). Recorded by the proxy, not read from stderr.
         */
        record HostNotAllowed(int stage, String host, int port) implements Denial {

            /**
             * The pattern that would allow it: the host, with the port unless it is 443 (an IPv6
             * address in brackets).
             */
            public String pattern() {
                String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
                return port == 443 ? h : h + ":" + port;
            }
        }
    }

    /**
     * One output stream of a finished command.
     *
     * @param bytes      what was kept (empty when the stream was sent elsewhere)
     * @param totalBytes how many bytes the command wrote in all
     * @param truncated  whether bytes past the capture limit were dropped
     */
    public record Captured(byte[] bytes, long totalBytes, boolean truncated) {

        public static final Captured NONE = new Captured(new byte[0], 0, false);

        public Captured {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The kept bytes as UTF-8 text (malformed input replaced). */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Captured other && Arrays.equals(bytes, other.bytes)
                    && totalBytes == other.totalBytes && truncated == other.truncated;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + Long.hashCode(totalBytes) + (truncated ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Captured[" + bytes.length + " of " + totalBytes + " bytes" + (truncated ? ", truncated" : "") + "]";
        }
    }
}
