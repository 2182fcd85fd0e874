package dev.awssandbox.mcp;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.policy.AwsCommand;
import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.Classification;
import dev.awssandbox.mcp.policy.Redactor;
import dev.awssandbox.mcp.policy.Refused;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The two tools of the reference server. Every call goes through the AWS command policy, which
 * hands back the canonical argv that runs; every result and message is redacted of the secrets
 * the server knows, and says how the command was classified.
 *
 * <p>A result has the text a model reads (the output, or the error with hints) and, as declared
 * by {@link #OUTPUT_SCHEMA}, structured content: the same (capped) output, the status, exit code,
 * failing stage, truncation, timing and the sandbox it ran in. A call that runs longer than a
 * second reports progress when the client asked for it (a {@code progressToken}); a refused or
 * failed call is also logged to the client ({@code notifications/message}).
 */
final class AwsTools {
    /** The structured result of both tools. Open: later fields may be added. */
    static final String PIPELINE = "aws_cli_pipeline";
    static final String HELP = "aws_cli_help";
    /** The tools' names, as {@code tools/list} gives them. */
    static final List<String> NAMES = List.of(PIPELINE, HELP);
    static final Map<String, Object> OUTPUT_SCHEMA = outputSchema();

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\s*\\+?[0-9]{1,9}\\s*");
    /** The exit code of a call killed at its timeout, as {@code timeout(1)} and the CLI give it. */
    static final int TIMED_OUT = 124;

    private final ServerContext context;
    private final AwsCommandPolicy policy;
    private final McpSettings settings;
    private final CallGate gate;
    private final AuditLog audit;

    AwsTools(ServerContext context, CallGate gate) {
        this(context, context.policy, gate);
    }

    /** With another policy (tests: one without the argument rules). */
    AwsTools(ServerContext context, AwsCommandPolicy policy, CallGate gate) {
        this.context = context;
        this.policy = policy;
        this.settings = context.settings;
        this.gate = gate;
        this.audit = context.audit();
    }

    static McpSchema.Tool helpTool() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("service", Map.of("type", "string", "description", "AWS CLI service, e.g. s3, ec2, lambda; 'aws'"
                + " alone lists the services"));
        properties.put("command", Map.of("type", "string", "description",
                "optional command, e.g. describe-instances; for a command of a command, both words: 'wait instance-running'"));
        properties.put("subcommand", Map.of("type", "string", "description",
                "optional third level, e.g. instance-running for service ec2, command wait"));
        return McpSchema.Tool.builder(HELP, Map.of("type", "object", "properties", properties,
                        "required", List.of("service"), "additionalProperties", false))
                .description("Get the AWS CLI documentation of a service, a command, or a command's subcommand"
                        + " (e.g. service 's3', command 'cp'; or service 'ec2', command 'wait', subcommand"
                        + " 'instance-running'). Runs 'aws SERVICE [COMMAND [SUBCOMMAND]] help' in a sandbox; plain text.")
                .outputSchema(OUTPUT_SCHEMA)
                .annotations(new McpSchema.ToolAnnotations("AWS CLI help", true, false, true, false, null))
                .build();
    }

    McpSchema.Tool pipelineTool() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("command", Map.of("type", "string", "description", "the command line, starting with 'aws'"));
        properties.put("timeout", timeoutSchema(settings.defaultTimeout(), settings.maxTimeout()));
        properties.put("profile", Map.of("type", "string", "description", "optional AWS CLI profile"
                + (policy.config().profiles().isEmpty() ? "" : ", one of: " + String.join(", ", policy.config().profiles()))));
        properties.put("region", Map.of("type", "string", "description", "optional AWS region"
                + (policy.config().regions().isEmpty() ? "" : ", one of: " + String.join(", ", policy.config().regions()))));
        return McpSchema.Tool.builder(PIPELINE,
                        Map.of("type", "object", "properties", properties, "required", List.of("command"),
                                "additionalProperties", false))
                .description("Run an AWS CLI command, optionally piped into text filters ("
                        + String.join(", ", policy.config().filters()) + "), e.g. "
                        + "\"aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' | jq -r '.[]' | sort\"."
                        + " No shell is involved: only '|' joins commands. Filters run with the network off. Local files"
                        + " are relative paths in the server's workspace: download with 'aws s3 cp s3://b/k ./f', then use"
                        + " ./f or file://f in later calls." + (policy.config().readOnly() ? " Read-only: only operations"
                        + " that read are allowed." : ""))
                .outputSchema(OUTPUT_SCHEMA)
                .annotations(new McpSchema.ToolAnnotations("AWS CLI", policy.config().readOnly(), true, false, true, null))
                .build();
    }

    List<McpServerFeatures.SyncToolSpecification> specifications() {
        return List.of(
                McpServerFeatures.SyncToolSpecification.builder().tool(helpTool())
                        .callHandler((exchange, request) -> answered(() -> help(Call.of(exchange, request),
                                request.arguments()))).build(),
                McpServerFeatures.SyncToolSpecification.builder().tool(pipelineTool())
                        .callHandler((exchange, request) -> answered(() -> pipeline(Call.of(exchange, request),
                                request.arguments()))).build());
    }

    /** {@code handler}'s result, with this thread made ready to send it ({@link RunningCalls#answering}). */
    static <T> T answered(java.util.function.Supplier<T> handler) {
        try {
            return handler.get();
        } finally {
            RunningCalls.answering();
        }
    }

    /** Tests: a call without a client to report to. */
    McpSchema.CallToolResult help(Map<String, Object> arguments) {
        return help(Call.NONE, arguments);
    }

    McpSchema.CallToolResult help(Call call, Map<String, Object> arguments) {
        long started = System.nanoTime();
        List<List<String>> ran = List.of();
        try (CallGate.Permit _ = gate.enter()) {
            onlyKnown(arguments, HELP_ARGUMENTS);
            String service = string(arguments, "service").orElseThrow(() -> new Refused("'service' is required"));
            Optional<String> command = string(arguments, "command");
            Optional<String> sub = string(arguments, "subcommand");
            if (service.equals("aws") && command.isEmpty() && sub.isEmpty()) {
                // the services, which the refusal of an unknown one points to (outside test WF30, F2); nothing runs
                String list = "The AWS CLI's services (give one as 'service' for its commands): "
                        + String.join(", ", policy.services());
                Map<String, Object> structured = new LinkedHashMap<>();
                structured.put("status", "success");
                structured.put("success", true);
                structured.put("output", list);
                return McpSchema.CallToolResult.builder().addTextContent(list).structuredContent(structured)
                        .isError(false).build();
            }
            if (sub.isPresent() && command.isEmpty()) {
                throw new Refused("'subcommand' needs 'command' (e.g. command 'wait', subcommand 'instance-running')");
            }
            if (command.filter(c -> c.equals("help")).isPresent() || sub.filter(c -> c.equals("help")).isPresent()) {
                // 'aws s3 help help' is the AWS CLI's usage error (outside test RT33, F3)
                throw new Refused("'help' is no command: give 'service' alone for the service's help, with 'command' for"
                        + " a command's");
            }
            List<String> argv = policy.help(service, command.map(c -> sub.map(s -> c + " " + s).orElse(c)));
            ran = List.of(argv);
            Redactor redactor = new Redactor(context.secrets.refresh());
            SandboxRunner.Outcome result;
            try (Progress _ = Progress.start(call, SandboxRunner.display(argv), settings.defaultTimeout())) {
                result = context.runner.run(List.of(argv), settings.defaultTimeout(), redactor, settings.maxOutput() * 4L);
            }
            auditRan("aws_cli_help", call, ran, Optional.empty(), result);
            return respond(call, "aws_cli_help", argv, result, HelpText.plain(result.stdout()), Optional.empty(),
                    settings.defaultTimeout());
        } catch (Refused e) {
            auditRefused("aws_cli_help", call, ran, Optional.empty(), redact(e.getMessage()), started);
            return refused(call, "aws_cli_help", redact(e.getMessage()));
        } catch (SandboxException e) {
            auditRefused("aws_cli_help", call, ran, Optional.empty(), "the sandbox could not run it: "
                    + redact(e.getMessage()), started);
            return cannotRun(call, "aws_cli_help", e);
        }
    }

    /**
     * Whose account a command acts on, for the consent question: the profile it names or the server's, where that
     * profile's credentials come from, and the region (outside test WF29, F15: a command that named no profile showed none).
     */
    private String account(AwsCommandPolicy.Decision decision) {
        AwsConfig aws = new AwsConfig(context.runner.host());
        Optional<String> named = decision.command().global("--profile");
        String profile = named.orElse(aws.activeProfile());
        Object source = aws.credentialSource(profile, named.isPresent()).get("detail");
        return "profile " + profile + (named.isEmpty() ? " (the server's; the command names none)" : "") + ", credentials: "
                + source + "; region " + decision.command().global("--region").orElse("not named (the profile's own)");
    }

    McpSchema.CallToolResult pipeline(Call call, Map<String, Object> arguments) {
        long started = System.nanoTime();
        List<List<String>> ran = List.of();
        Optional<String> line = Optional.empty();
        Optional<AwsCommandPolicy.Decision> allowed = Optional.empty();
        try (CallGate.Permit _ = gate.enter()) {
            onlyKnown(arguments, PIPELINE_ARGUMENTS);
            String command = string(arguments, "command").orElseThrow(() -> new Refused("'command' is required"));
            line = Optional.of(command);
            Duration timeout = timeout(arguments);
            // an empty profile or region is one not given, the server's default, for both (models fill optional
            // arguments with "": outside test WF29, F34, an empty region had been refused as no region's name)
            AwsCommandPolicy.Decision decision = policy.pipeline(command,
                    string(arguments, "profile").filter(p -> !p.isEmpty()), string(arguments, "region").filter(r -> !r.isEmpty()));
            ran = decision.stages();
            SandboxRunner.Outcome result;
            try {
                if (decision.consent().isPresent()) {
                    long asked = System.nanoTime();
                    Consent.require(call.exchange(), decision, timeout, Optional.of(account(decision)));
                    // the call's timeout bounds the question and the command together (re-attack of 2026-12-06, R2-9: an
                    // answer just before it let the command run a whole timeout more); at least a second is left to run
                    timeout = timeout.minus(Duration.ofNanos(System.nanoTime() - asked));
                    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
                        timeout = Duration.ofSeconds(1);
                    }
                }
                allowed = Optional.of(decision);
                Redactor redactor = new Redactor(context.secrets.refresh());
                String display = String.join(" | ", decision.stages().stream().map(SandboxRunner::display).toList());
                try (Progress _ = Progress.start(call, display, timeout)) {
                    result = context.runner.run(decision.stages(), timeout, redactor, settings.maxOutput() * 4L,
                            decision.writesLocalFiles());
                }
            } finally {
                decision.release(); // the checked copies of its parameter files: read, or never to be
            }
            auditRan("aws_cli_pipeline", call, ran, Optional.of(decision), result);
            return respond(call, "aws_cli_pipeline", decision.stages().getFirst(), result, result.stdout(),
                    Optional.of(decision), timeout);
        } catch (Refused e) {
            auditRefused("aws_cli_pipeline", call, ran, line, redact(e.getMessage()), started);
            return refused(call, "aws_cli_pipeline", redact(e.getMessage()));
        } catch (SandboxException e) {
            if (allowed.isPresent() && cancelled(e)) {
                // it may have run, and written, before it was killed: logged as what it was (red team, round 7)
                auditCancelled("aws_cli_pipeline", call, ran, allowed.get(), started);
            } else {
                auditRefused("aws_cli_pipeline", call, ran, line, "the sandbox could not run it: "
                        + redact(e.getMessage()), started);
            }
            return cannotRun(call, "aws_cli_pipeline", e);
        }
    }

    /** An audit line for an allowed command whose call was cancelled: what it was, and that it was killed. */
    private void auditCancelled(String tool, Call call, List<List<String>> stages, AwsCommandPolicy.Decision decision,
                                long started) {
        if (!audit.enabled()) {
            return;
        }
        Map<String, Object> record = auditHead(tool, call, stages);
        record.put("decision", "allowed");
        record.put("operation", decision.classification().name());
        record.put("access", decision.classification().read() ? "read" : "write");
        decision.consent().ifPresent(c -> record.put("reason", "the user consented: " + c));
        record.put("status", "cancelled");
        record.put("durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
        audit.write(record);
    }

    /** An audit line for a command that ran: its canonical argv (redacted), what it was, how it ended. */
    private void auditRan(String tool, Call call, List<List<String>> stages, Optional<AwsCommandPolicy.Decision> decision,
                          SandboxRunner.Outcome result) {
        if (!audit.enabled()) {
            return;
        }
        Map<String, Object> record = auditHead(tool, call, stages);
        record.put("decision", "allowed");
        decision.ifPresent(d -> {
            record.put("operation", d.classification().name());
            record.put("access", d.classification().read() ? "read" : "write");
            d.consent().ifPresent(c -> record.put("reason", "the user consented: " + c));
        });
        record.put("backend", result.backend());
        record.put("status", result.success() ? "success" : result.timedOut() ? "timeout" : "error");
        record.put("exitCode", result.exitCode());
        result.failedStage().ifPresent(i -> record.put("failedStage", i + 1));
        record.put("durationMs", result.duration().toMillis());
        record.put("stdoutBytes", result.stdoutBytes());
        audit.write(record);
    }

    /** An audit line for a call that ran nothing: what was asked, and why it was refused. */
    private void auditRefused(String tool, Call call, List<List<String>> stages, Optional<String> line, String reason,
                              long started) {
        if (!audit.enabled()) {
            return;
        }
        Map<String, Object> record = auditHead(tool, call, stages);
        if (stages.isEmpty()) {
            line.ifPresent(l -> record.put("command", redact(l)));
        }
        record.put("decision", "refused");
        record.put("reason", reason);
        record.put("durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
        audit.write(record);
    }

    private Map<String, Object> auditHead(String tool, Call call, List<List<String>> stages) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", "mcp");
        record.put("session", call.sessionId().orElse("none"));
        record.put("tool", tool);
        if (!stages.isEmpty()) {
            record.put("argv", stages.getFirst().stream().map(this::redact).toList());
            if (stages.size() > 1) {
                record.put("filters", stages.subList(1, stages.size()).stream()
                        .map(s -> s.stream().map(this::redact).toList()).toList());
            }
        }
        return record;
    }

    private String redact(String message) {
        return new Redactor(context.secrets.values()).redact(message);
    }

    /**
     * Seconds: a whole number, also as a string ({@code "30"}, as some clients send every argument),
     * between 1 and the server's maximum.
     */
    private Duration timeout(Map<String, Object> arguments) throws Refused {
        Object value = arguments == null ? null : arguments.get("timeout");
        if (value == null) {
            return settings.defaultTimeout();
        }
        long seconds;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            seconds = ((Number) value).longValue();
        } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e9) {
            seconds = n.longValue(); // 30.0 from a JSON client; big integers (which would wrap) are refused
        } else if (value instanceof String s && WHOLE_NUMBER.matcher(s).matches()) {
            seconds = Long.parseLong(s.strip());
        } else {
            throw new Refused("'timeout' must be a whole number of seconds, e.g. 120 (got " + describe(value) + ")");
        }
        if (seconds < 1 || seconds > settings.maxTimeout().toSeconds()) {
            throw new Refused("'timeout' must be between 1 and " + settings.maxTimeout().toSeconds() + " seconds (got "
                    + seconds + ")");
        }
        return Duration.ofSeconds(seconds);
    }

    /** Whether {@code argv} is {@code aws … s3 ls …}. */
    private static boolean isS3Ls(List<String> argv) {
        int s3 = argv.indexOf("s3");
        return s3 > 0 && s3 + 1 < argv.size() && argv.get(s3 + 1).equals("ls");
    }

    private static String describe(Object value) {
        String s = value instanceof String str ? "'" + str + "'" : String.valueOf(value);
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /**
     * {@code text}'s first {@code most} characters, one fewer where the cut would split a surrogate pair: a lone
     * surrogate is no character, and strict JSON clients fail on it (outside test RT33, F6).
     */
    static String cut(String text, int most) {
        if (text.length() <= most) {
            return text;
        }
        return text.substring(0, most > 0 && Character.isHighSurrogate(text.charAt(most - 1)) ? most - 1 : most);
    }

    private McpSchema.CallToolResult respond(Call call, String tool, List<String> argv, SandboxRunner.Outcome result,
                                             String stdout, Optional<AwsCommandPolicy.Decision> decision, Duration timeout) {
        if (decision.isPresent() && printsProgress(decision.get().command())) {
            stdout = withoutOverwrittenText(stdout);
        }
        boolean truncated = result.truncated() || stdout.length() > settings.maxOutput();
        String output = cut(stdout, settings.maxOutput());
        List<String> parts = new ArrayList<>();
        boolean binary = notText(output);
        if (binary) {
            // an object's bytes as text are replacement characters and raw control bytes (NUL, ESC) the client shows as
            // they are (outside test WF30, F4): said, not shown
            parts.add("[the output is not text (" + result.stdoutBytes() + " bytes), so it is not shown: write it to a file"
                    + " in the workspace instead (aws s3 cp s3://BUCKET/KEY ./KEY), or read a text object]");
            output = "";
            truncated = false;
        } else if (!output.isEmpty()) {
            parts.add(output.endsWith("\n") ? output.substring(0, output.length() - 1) : output);
        }
        if (truncated) {
            parts.add("[output truncated at " + settings.maxOutput() + " characters of " + result.stdoutBytes()
                    + " bytes; " + (tool.equals("aws_cli_help") ? narrowerHelp(argv)
                    : "narrow it with --query, --max-items or a filter such as head") + "]");
        }
        String stderr = result.stderr().strip();
        List<String> hints = new ArrayList<>();
        String status;
        if (result.success()) {
            status = "success";
        } else if (result.timedOut()) {
            status = "timeout";
            parts.add("[timed out: " + SandboxRunner.display(argv) + " ran for its whole timeout of " + timeout.toSeconds()
                    + " s and was killed, with every process it started" + (stderr.isEmpty() ? "" : "; its error output so far is below")
                    + ". If the operation needs longer, call again with a larger 'timeout' (in seconds, at most "
                    + settings.maxTimeout().toSeconds() + "), e.g. \"timeout\": " + suggestedTimeout(timeout)
                    + "; or make it smaller: --max-items, --query, a narrower filter]");
            if (!stderr.isEmpty()) {
                parts.add(stderr);
            }
        } else {
            status = "error";
            if (!stderr.isEmpty()) {
                parts.add(stderr);
            }
            parts.add("[failed: " + result.failure() + "]");
            hints.addAll(result.hints().stream().map(h -> "sandbox: " + h).toList());
            // a host that was refused or could not be reached explains the error better than its text: through
            // the proxy a plain-http endpoint's failure reads "502 ... reached max retries", which matched
            // throttling, and its refusal "(403) ... Forbidden", which matched missing IAM permissions (F15)
            List<String> connectionHints = AwsErrorHints.forConnections(result.connections(), stderr);
            // a path refused in the withheld workspace is said by the sandbox's note: the errno's hint (a
            // credential_process, AWS_MCP_SANDBOX_READ_PATHS) would send the model the wrong way (outside test WF31, F5)
            if (connectionHints.isEmpty() && !result.deniedInWorkspace()) {
                AwsErrorHints.forStderr(stderr).ifPresent(h -> hints.add("hint: " + h));
            }
            if (stderr.isEmpty() && output.isEmpty() && result.exitCode() == 1 && isS3Ls(argv)
                    && decision.map(d -> d.stages().size() == 1).orElse(false)) { // a filter's 1 is its own (review, R12)
                // the AWS CLI's own silent 1 for nothing listed (outside test WF29, F24: the model had only "failed")
                hints.add("hint: aws s3 ls exits 1 without a word when nothing matches: there is no object or prefix"
                        + " there (list the bucket, or a shorter prefix, to see what is); it lists S3 only, not local"
                        + " files");
            }
            hints.addAll(connectionHints.stream().map(h -> "hint: " + h).toList());
            // a grep filter's silent 1 is no failure of the command: nothing matched (outside test WF30, F17)
            result.failedStage().ifPresent(i -> decision.filter(d -> i > 0 && i < d.stages().size())
                    .map(d -> d.stages().get(i).getFirst()).filter(program -> program.equals("grep"))
                    .filter(program -> result.exitCode() == 1 && stderr.isEmpty())
                    .ifPresent(program -> hints.add("hint: grep exits 1 when no line matches: the AWS CLI ran, and no"
                            + " line of its output matched the pattern (case matters unless -i)")));
            for (String hint : hints) {
                parts.add("[" + hint + "]");
            }
        }
        // said on success too: a download named like a credential store succeeds, and the next call is the one refused
        result.workspaceWithheld().ifPresent(why -> {
            hints.add("sandbox: " + why);
            parts.add("[sandbox: " + why + "]");
        });
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("status", status);
        structured.put("success", result.success());
        structured.put("output", redact(output));
        if (!stderr.isEmpty()) {
            structured.put("error", redact(cut(stderr, settings.maxOutput())));
        }
        structured.put("command", redact(SandboxRunner.display(argv)));
        // the whole pipeline, filters too, which failedStage counts in (outside test WF30, F8)
        decision.ifPresent(d -> structured.put("pipeline",
                redact(String.join(" | ", d.stages().stream().map(SandboxRunner::display).toList()))));
        decision.ifPresent(d -> {
            Classification c = d.classification();
            structured.put("operation", Map.of("name", c.name(), "access", c.read() ? "read" : "write", "label", c.label()));
        });
        // 124 at a timeout, as the outputSchema says and as timeout(1) and the CLI do: the core reports the
        // signal that killed it (137, SIGKILL), which a model reads as a crash (testers' F10)
        structured.put("exitCode", result.timedOut() ? TIMED_OUT : result.exitCode());
        structured.put("timedOut", result.timedOut());
        result.failedStage().ifPresent(i -> {
            structured.put("failedStage", i + 1);
            decision.ifPresent(d -> structured.put("failedProgram", d.stages().get(i).getFirst()));
        });
        structured.put("truncated", truncated);
        structured.put("stdoutBytes", result.stdoutBytes());
        if (!hints.isEmpty()) {
            structured.put("hints", hints.stream().map(this::redact).toList());
        }
        structured.put("backend", result.backend());
        structured.put("enforcement", result.enforcement());
        structured.put("durationMs", result.duration().toMillis());
        List<Map<String, Object>> connections = new ArrayList<>();
        for (ExecResult.Connection c : result.connections()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("stage", c.stage() + 1);
            entry.put("host", c.host());
            entry.put("port", c.port());
            entry.put("allowed", c.allowed());
            entry.put("connections", c.count());
            entry.put("bytesSent", c.bytesSent());
            entry.put("bytesReceived", c.bytesReceived());
            if (!c.reason().isEmpty()) {
                entry.put("reason", c.reason());
            }
            connections.add(entry);
        }
        structured.put("connections", connections);
        McpSchema.CallToolResult.Builder builder = McpSchema.CallToolResult.builder()
                .addTextContent(redact(String.join("\n", parts)));
        decision.ifPresent(d -> builder.addTextContent("operation: " + d.classification().label()));
        if (!result.success()) {
            call.log(McpSchema.LoggingLevel.ERROR, redact(tool + " " + (result.timedOut() ? "timed out" : "failed") + ": "
                    + SandboxRunner.display(argv) + ": " + result.failure()));
        }
        return builder.structuredContent(structured).isError(!result.success()).build();
    }

    /**
     * How to get a help that fits, for {@code aws SERVICE [COMMAND [SUBCOMMAND]] help}: help takes
     * no --query, --max-items or filter, which the pipeline's note had advised (testers' F11).
     */
    private String narrowerHelp(List<String> argv) {
        String service = argv.get(1);
        if (argv.size() == 3) {
            return "ask for one command's help instead: aws_cli_help with service '" + service + "' and a command"
                    + " listed above";
        }
        if (argv.size() == 4 && argv.get(2).equals("wait")) {
            return "ask for one waiter's help instead: aws_cli_help with service '" + service + "', command 'wait' and"
                    + " a subcommand listed above";
        }
        return "this is one command's help, the narrowest there is; the server shows at most AWS_MCP_MAX_OUTPUT ("
                + settings.maxOutput() + ") characters";
    }

    /**
     * Whether the AWS CLI stage is an {@code s3} command whose output is only the AWS CLI's own
     * messages, which may carry its progress lines: not one that streams an object to stdout
     * ({@code s3 cp s3://b/k -}), whose content is the object's, {@code \r} and all.
     */
    private static boolean printsProgress(AwsCommand command) {
        return command.kind() == AwsCommand.Kind.S3
                && command.positionals().stream().noneMatch(w -> w.values().contains("-"));
    }

    /**
     * The text as a terminal shows it: of each line, what follows its last {@code \r} (a {@code \r}
     * right before the line's end, as in {@code \r\n}, is kept), without the blanks the AWS CLI pads
     * it with to cover the longer line before. {@code s3 cp} writes "Completed 5 Bytes/5 Bytes … with 1
     * file(s) remaining\rdownload: … to ./k      ", and the model got both (testers' F8).
     */
    static String withoutOverwrittenText(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i > 0) {
                out.append('\n');
            }
            // a CR that ends the text is no line end but a progress line's return, which a failed transfer leaves last
            // (outside test RT33, F2)
            boolean crlf = line.endsWith("\r") && i < lines.length - 1;
            String body = crlf ? line.substring(0, line.length() - 1) : line;
            int last = body.lastIndexOf('\r');
            if (last >= 0) {
                body = body.substring(last + 1).stripTrailing();
            }
            out.append(body).append(crlf ? "\r" : "");
        }
        return out.toString();
    }

    /** Double the timeout, within the maximum: a concrete number a model can use. */
    private long suggestedTimeout(Duration timeout) {
        return Math.min(settings.maxTimeout().toSeconds(), Math.max(60, timeout.toSeconds() * 2));
    }

    private static boolean cancelled(SandboxException e) {
        return Thread.currentThread().isInterrupted() || e.getMessage().contains("was cancelled");
    }

    private McpSchema.CallToolResult cannotRun(Call call, String tool, SandboxException e) {
        if (cancelled(e)) {
            return result("cancelled", "the call was cancelled; its command was killed");
        }
        return refused(call, tool, "the sandbox could not run it: " + redact(e.getMessage()));
    }

    /**
     * Whether {@code output} is not text: a NUL, or more than one in a hundred of its characters a replacement character
     * (bytes that are no UTF-8) or a control character other than a tab, a line feed or a carriage return.
     */
    static boolean notText(String output) {
        if (output.isEmpty()) {
            return false;
        }
        long odd = output.chars().filter(c -> c == 0xFFFD || c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F)
                .count();
        return output.indexOf('\0') >= 0 || odd * 100 > output.length();
    }

    private static McpSchema.CallToolResult refused(Call call, String tool, String message) {
        call.log(McpSchema.LoggingLevel.WARNING, tool + " refused: " + message);
        return result("refused", message);
    }

    private static McpSchema.CallToolResult result(String status, String message) {
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("status", status);
        structured.put("success", false);
        structured.put("output", "");
        structured.put("error", message);
        return McpSchema.CallToolResult.builder().addTextContent(message).structuredContent(structured)
                .isError(true).build();
    }

    /** The arguments each tool takes, in its schema's order. */
    private static final List<String> HELP_ARGUMENTS = List.of("service", "command", "subcommand");
    private static final List<String> PIPELINE_ARGUMENTS = List.of("command", "timeout", "profile", "region");

    /**
     * An argument the tool does not take is refused, not ignored: a misspelt {@code "regoin"} had run the command in the
     * default region (outside test WF29, F11).
     */
    private static void onlyKnown(Map<String, Object> arguments, List<String> known) throws Refused {
        if (arguments == null) {
            return;
        }
        for (String name : arguments.keySet()) {
            if (!known.contains(name)) {
                throw new Refused("unknown argument '" + Printable.escape(name) + "': this tool takes " + String.join(", ", known)
                        + "; correct the name or leave it out");
            }
        }
    }

    private static Optional<String> string(Map<String, Object> arguments, String name) throws Refused {
        Object value = arguments == null ? null : arguments.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new Refused("'" + name + "' must be a string (got " + describe(value) + ")");
        }
        int at = unpairedSurrogate(s);
        if (at >= 0) {
            throw new Refused("'" + name + "' holds an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(s.charAt(at))
                    + " at character " + at + "), which is no character: the AWS CLI would get '?' in its place (a"
                    + " wildcard in s3 --include and --exclude); send valid Unicode text");
        }
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            // no argument of a program can hold one: it was an internal error (red team, mcp round 13, F3)
            throw new Refused("'" + name + "' holds a NUL character (\\u0000 at character " + nul + "), which no"
                    + " command-line argument can carry; remove it");
        }
        return Optional.of(s);
    }

    /**
     * Where {@code text} has a surrogate that is not half of a pair, or -1. JSON's {@code "\ud800"} is
     * such a string; Java encodes it to UTF-8 as '?', so the policy checked and the question and audit
     * showed {@code keep\ud800} while the AWS CLI got {@code keep?}, and {@code s3 rm --include
     * 'keep\ud800'} deleted keepA and keepB (red team, mcp round 11, F2). Every string argument of a
     * tool passes through {@link #string}, so none reaches the policy with one.
     */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code timeout}: a whole number of seconds, or one as a string ({@code "30"}), as {@link #timeout}
     * takes it and the docs say: the schema had said "integer" only (testers' F6), and a client that
     * checks arguments against it would refuse what the server accepts.
     */
    static Map<String, Object> timeoutSchema(Duration defaultTimeout, Duration maxTimeout) {
        return Map.of("type", List.of("integer", "string"),
                "minimum", 1, "maximum", maxTimeout.toSeconds(),
                "pattern", "^" + WHOLE_NUMBER.pattern() + "$",
                "description", "seconds, a whole number or one as a string (\"30\"); default "
                        + defaultTimeout.toSeconds() + ", at most " + maxTimeout.toSeconds());
    }

    private static Map<String, Object> outputSchema() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("status", Map.of("type", "string", "enum", List.of("success", "error", "timeout", "refused", "cancelled"),
                "description", "success; error (the command failed); timeout (killed at its timeout); refused (not run:"
                        + " the policy or the sandbox refused it); cancelled"));
        p.put("success", Map.of("type", "boolean"));
        p.put("output", Map.of("type", "string", "description", "the last stage's output, redacted, cut at AWS_MCP_MAX_OUTPUT characters"));
        p.put("error", Map.of("type", "string", "description", "every stage's error output, or why it was refused"));
        p.put("command", Map.of("type", "string", "description", "the canonical AWS CLI command that ran"));
        p.put("pipeline", Map.of("type", "string", "description", "the canonical pipeline that ran, its filters too"
                + " (failedStage counts its stages)"));
        p.put("operation", Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"),
                "access", Map.of("type", "string", "enum", List.of("read", "write")), "label", Map.of("type", "string"))));
        p.put("exitCode", Map.of("type", "integer", "description", "the pipeline's exit status (pipefail); 124 at a timeout"));
        p.put("timedOut", Map.of("type", "boolean"));
        p.put("failedStage", Map.of("type", "integer", "description", "1-based stage that failed"));
        p.put("failedProgram", Map.of("type", "string"));
        p.put("truncated", Map.of("type", "boolean"));
        p.put("stdoutBytes", Map.of("type", "integer", "description", "bytes of output in all, before the cut"));
        p.put("hints", Map.of("type", "array", "items", Map.of("type", "string")));
        p.put("backend", Map.of("type", "string", "description", "the sandbox it ran in: landlock, bubblewrap, seatbelt, none"));
        p.put("enforcement", Map.of("type", "string"));
        p.put("durationMs", Map.of("type", "integer"));
        // every result of a command that ran carries it (docs/mcp.md); the schema had left it out (testers' F6)
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("stage", Map.of("type", "integer", "description", "1-based stage that opened it (the AWS CLI's)"));
        connection.put("host", Map.of("type", "string"));
        connection.put("port", Map.of("type", "integer"));
        connection.put("allowed", Map.of("type", "boolean", "description", "false: the egress proxy refused it"));
        connection.put("connections", Map.of("type", "integer"));
        connection.put("bytesSent", Map.of("type", "integer"));
        connection.put("bytesReceived", Map.of("type", "integer"));
        connection.put("reason", Map.of("type", "string", "description", "why it was refused, or what failed"));
        p.put("connections", Map.of("type", "array", "description", "what the AWS CLI asked the egress proxy for, allowed"
                + " and refused", "items", Map.of("type", "object", "properties", connection)));
        return Map.of("type", "object", "properties", p, "required", List.of("status", "success", "output"));
    }
}
