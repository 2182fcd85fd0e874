package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** {@code --audit-log FILE} / {@code AWS_MCP_AUDIT_LOG} for run and pipe (issue 12, item 7). */
class CliAuditLogTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();
    private final TestHost host = cli.host();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(Path file) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readValue(line, Map.class));
        }
        return out;
    }

    @Test
    void everyCommandIsOneJsonLineWithItsOutcome() throws Exception {
        Requirements.requireLandlock();
        Path log = host.root().resolve("audit.jsonl");
        host.set("AWS_SECRET_ACCESS_KEY", "AuditSecretValue0123456789");

        CliHarness.Run ran = cli.run("run", "--audit-log", log.toString(), "--", "echo", "hi", "AuditSecretValue0123456789");
        assertThat(ran.code()).as(ran.err()).isZero();
        CliHarness.Run piped = cli.run("pipe", "--audit-log", log.toString(), "echo a b | tr a-z A-Z | wc -c");
        assertThat(piped.code()).as(piped.err()).isZero();
        CliHarness.Run missing = cli.run("run", "--audit-log", log.toString(), "--", "no-such-program-here");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(Files.readString(log)).doesNotContain("AuditSecretValue0123456789");
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(3);
        Map<String, Object> run = lines.get(0);
        assertThat(run).containsEntry("source", "cli").containsEntry("tool", "run").containsEntry("decision", "allowed")
                .containsEntry("status", "success").containsEntry("exitCode", 0).containsEntry("stdoutBytes", "hi AuditSecretValue0123456789\n".length())
                .containsKeys("time", "session", "backend", "durationMs");
        assertThat(run.get("argv")).isEqualTo(List.of("echo", "hi", "****"));
        assertThat(lines.get(1)).containsEntry("tool", "pipe").containsEntry("argv", List.of("echo", "a", "b"))
                .containsEntry("filters", List.of(List.of("tr", "a-z", "A-Z"), List.of("wc", "-c")));
        assertThat(lines.get(2)).containsEntry("decision", "refused");
        assertThat((String) lines.get(2).get("reason")).contains("no-such-program-here");
    }

    /**
     * A workflow test, 2026-12-05, F13: a pipeline refused for its syntax (nothing ran) had no line in the audit log, unlike
     * every other refusal; it has one, with its text (secrets redacted) and why. Control: the command did not run.
     */
    @Test
    void aPipelineRefusedForItsSyntaxIsLogged() throws Exception {
        Path log = host.root().resolve("syntax.jsonl");
        host.set("AWS_SECRET_ACCESS_KEY", "AuditSecretValue0123456789");
        Path marker = host.work().resolve("ran");
        CliHarness.Run refused = cli.run("pipe", "--audit-log", log.toString(), "touch " + marker
                + " AuditSecretValue0123456789 && rm -rf ~");
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(marker).doesNotExist();
        assertThat(Files.readString(log)).doesNotContain("AuditSecretValue0123456789");
        assertThat(lines(log)).hasSize(1).first().satisfies(l -> assertThat(l).containsEntry("decision", "refused")
                .containsEntry("tool", "pipe").containsKey("pipeline")
                .hasEntrySatisfying("reason", r -> assertThat((String) r).contains("'&&'")));
    }

    @Test
    void theVariableNamesTheFileToo() throws Exception {
        Requirements.requireLandlock();
        Path log = host.root().resolve("from-env.jsonl");
        host.set("AWS_MCP_AUDIT_LOG", log.toString());
        assertThat(cli.run("run", "--", "true").code()).isZero();
        assertThat(lines(log)).hasSize(1).first().satisfies(l -> assertThat(l).containsEntry("argv", List.of("true")));
    }

    /**
     * Many writers at once, each with its own descriptor as separate processes have, lines longer
     * than a pipe buffer: every line arrives whole (O_APPEND and one write per line). Written at
     * offset 0 or in pieces, lines would overwrite or interleave and fail to parse.
     */
    @Test
    void concurrentWritersAppendWholeLines() throws Exception {
        Requirements.requireLandlock();
        Path log = host.root().resolve("concurrent.jsonl");
        int writers = 8;
        int each = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String marker = ("w" + w + "-").repeat(8 * 1024); // 24 KiB per argument
                runs.add(pool.submit(() -> {
                    int failures = 0;
                    for (int i = 0; i < each; i++) {
                        failures += cli.run("run", "--audit-log", log.toString(), "--", "true", marker, String.valueOf(i))
                                .code() == 0 ? 0 : 1;
                    }
                    return failures;
                }));
            }
            for (Future<Integer> run : runs) {
                assertThat(run.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> lines = lines(log);
        assertThat(lines).hasSize(writers * each);
        for (Map<String, Object> line : lines) {
            List<?> argv = (List<?>) line.get("argv");
            String marker = (String) argv.get(1);
            assertThat(marker).matches("(w[0-9]-)+").hasSize(3 * 8 * 1024);
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsAUsageError() {
        Path nowhere = host.root().resolve("no-such-dir/audit.jsonl");
        CliHarness.Run r = cli.run("run", "--audit-log", nowhere.toString(), "--", "true");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).isEqualTo("aws-sandbox: error: --audit-log " + nowhere + ": the directory "
                + nowhere.getParent() + " does not exist; create it, or name a file in an existing directory");
        host.set("AWS_MCP_AUDIT_LOG", host.root().toString());
        CliHarness.Run mcp = cli.run("mcp");
        assertThat(mcp.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(mcp.error()).contains("AWS_MCP_AUDIT_LOG=" + host.root() + ": " + host.root() + " is a directory");
    }

    /**
     * A link planted at the log's path made the server append to the link's target (creating it
     * 0644), and a FIFO there hung the start (red team, round 4): both are usage errors now, the
     * target is never created, and a new log is 0600 (control: a plain path works).
     */
    @Test
    void aLinkOrAFifoAtThePathIsRefusedAndANewLogIsPrivate() throws Exception {
        Path target = host.root().resolve("elsewhere.txt");
        Path link = java.nio.file.Files.createSymbolicLink(host.root().resolve("link.jsonl"), target);
        CliHarness.Run linked = cli.run("run", "--audit-log", link.toString(), "--", "true");
        assertThat(linked.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(linked.error()).contains(link + " is a symbolic link");
        assertThat(target).doesNotExist();

        Path fifo = host.root().resolve("fifo.jsonl");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        java.util.concurrent.CompletableFuture<CliHarness.Run> piped = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli.run("run", "--audit-log", fifo.toString(), "--", "true"));
        CliHarness.Run refused = piped.get(30, java.util.concurrent.TimeUnit.SECONDS); // it hung before
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.error()).contains(fifo + " is not a regular file");

        Path plain = host.root().resolve("audit.jsonl");
        assertThat(cli.run("run", "--audit-log", plain.toString(), "--", "true").code()).isZero();
        assertThat(java.nio.file.Files.getPosixFilePermissions(plain))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(java.nio.file.Files.readAllLines(plain)).hasSize(1);
    }

    /**
     * Red team, round 5: a link planted by a sandboxed command in a directory on the way
     * ({@code logs -> ~}) made the log ~/.bashrc, and a hard link sent the lines into another file;
     * both are refused (control: the real directory works).
     */
    @Test
    void aLinkOnTheWayOrAHardLinkIsRefused() throws Exception {
        Path real = java.nio.file.Files.createDirectories(host.root().resolve("real-logs"));
        Path logs = java.nio.file.Files.createSymbolicLink(host.root().resolve("logs"), real);
        CliHarness.Run through = cli.run("run", "--audit-log", logs.resolve("audit.jsonl").toString(), "--", "true");
        assertThat(through.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(through.error()).contains("goes through the symbolic link " + logs);
        assertThat(real.resolve("audit.jsonl")).doesNotExist();

        Path other = java.nio.file.Files.writeString(real.resolve("other.txt"), "");
        Path hard = java.nio.file.Files.createLink(real.resolve("hard.jsonl"), other);
        CliHarness.Run linked = cli.run("run", "--audit-log", hard.toString(), "--", "true");
        assertThat(linked.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(linked.error()).contains("hard links");

        assertThat(cli.run("run", "--audit-log", real.resolve("audit.jsonl").toString(), "--", "true").code()).isZero();
    }

    /**
     * Red team, round 7: a log in the working directory (or a --rw path) could be removed or
     * rewritten by the very command it records; refused (control: the same log outside works).
     */
    @Test
    void aLogInADirectoryTheCommandCanWriteIsRefused() throws Exception {
        Requirements.requireLandlock();
        Path inside = host.work().resolve("audit.jsonl");
        CliHarness.Run run = cli.run("run", "--audit-log", inside.toString(), "--", "sh", "-c", "rm -f audit.jsonl");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.error()).contains("is in a directory the sandboxed commands can write");
        assertThat(inside).doesNotExist(); // refused before it is created
        Path rw = java.nio.file.Files.createDirectories(host.root().resolve("out"));
        CliHarness.Run granted = cli.run("run", "--rw", rw.toString(), "--audit-log", rw.resolve("a.jsonl").toString(),
                "--", "true");
        assertThat(granted.code()).isEqualTo(ExitCodes.USAGE);
        Path outside = host.root().resolve("audit.jsonl");
        assertThat(cli.run("run", "--rw", rw.toString(), "--audit-log", outside.toString(), "--", "true").code()).isZero();
        assertThat(java.nio.file.Files.readAllLines(outside)).hasSize(1);
        // outside test WF30, F15: a device is refused as what it is, not as a path the commands can write
        CliHarness.Run device = cli.run("run", "--audit-log", "/dev/null", "--", "true");
        assertThat(device.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(device.error()).contains("/dev/null is not a regular file (a FIFO, socket or device)")
                .doesNotContain("sandboxed commands can write");
    }

    /** Red team, round 8: the same working directory under another name (a bind mount) was not seen. */
    @Test
    void aLogInABindMountOfTheWorkingDirectoryIsRefused() throws Exception {
        Requirements.requireLandlock();
        boolean root = "root".equals(System.getProperty("user.name")) && Requirements.which("mount").isPresent();
        if (!root) {
            System.err.println("SKIPPED: needs root and mount(8) to make a bind mount");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "needs root and mount(8)");
        Path alias = java.nio.file.Files.createDirectories(host.root().resolve("work-alias"));
        assertThat(new ProcessBuilder("mount", "--bind", host.work().toString(), alias.toString()).inheritIO().start()
                .waitFor()).isZero();
        try {
            CliHarness.Run run = cli.run("run", "--audit-log", alias.resolve("audit.jsonl").toString(), "--", "true");
            assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.error()).contains("is in a directory the sandboxed commands can write");
        } finally {
            new ProcessBuilder("umount", "-l", alias.toString()).inheritIO().start().waitFor();
        }
    }
}
