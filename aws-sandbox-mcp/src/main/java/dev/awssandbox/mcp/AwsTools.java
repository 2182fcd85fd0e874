package dev.awssandbox.mcp;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.Pipeline;
import dev.awssandbox.core.PipelineRequest;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The two tools of the reference server, every command run through the sandbox. */
final class AwsTools {
    private final Sandbox sandbox;
    private final McpSettings settings;
    private final SandboxPolicy filterPolicy;
    private final CallGate gate;

    AwsTools(Sandbox sandbox, McpSettings settings, CallGate gate) {
        this.sandbox = sandbox;
        this.settings = settings;
        this.gate = gate;
        // Filters (jq, grep, …) get nothing but stdin and the system: no network, no credentials (files or
        // variables), no writable path, a minimal environment. Otherwise 'aws --version | jq -n env' or
        // 'jq --rawfile c ~/.aws/credentials' would hand secrets to the model (found in review).
        this.filterPolicy = SandboxPolicy.builder(sandbox.host())
                .writePaths(List.of())
                .allowNetwork(false)
                .credentials(dev.awssandbox.core.CredentialMode.NONE)
                .envPassthrough(List.of("PATH", "LANG", "LC_ALL", "TZ"))
                .limits(sandbox.policy().limits())
                .build();
    }

    List<McpServerFeatures.SyncToolSpecification> specifications() {
        McpSchema.Tool help = McpSchema.Tool.builder()
                .name("aws_cli_help")
                .description("Get the AWS CLI documentation of a service, or of one of its commands"
                        + " (e.g. service 's3', command 'cp'). Runs 'aws SERVICE [COMMAND] help' in a sandbox.")
                .inputSchema(Map.of("type", "object",
                        "properties", Map.of(
                                "service", Map.of("type", "string", "description", "AWS service, e.g. s3, ec2, lambda"),
                                "command", Map.of("type", "string", "description", "optional command, e.g. describe-instances")),
                        "required", List.of("service")))
                .annotations(new McpSchema.ToolAnnotations("AWS CLI help", true, false, true, false, null))
                .build();
        McpSchema.Tool pipeline = McpSchema.Tool.builder()
                .name("aws_cli_pipeline")
                .description("Run an AWS CLI command, optionally piped into text filters ("
                        + String.join(", ", settings.filters().stream().sorted().toList()) + "), e.g. "
                        + "\"aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' | jq -r '.[]' | sort\"."
                        + " No shell is involved: only '|' joins commands. Filters run with the network off.")
                .inputSchema(Map.of("type", "object",
                        "properties", Map.of(
                                "command", Map.of("type", "string", "description", "the command line, starting with 'aws'"),
                                "timeout", Map.of("type", "integer", "description", "seconds, at most "
                                        + settings.maxTimeout().toSeconds())),
                        "required", List.of("command")))
                .annotations(new McpSchema.ToolAnnotations("AWS CLI", false, true, false, true, null))
                .build();
        return List.of(
                new McpServerFeatures.SyncToolSpecification(help, (exchange, request) -> help(request.arguments())),
                new McpServerFeatures.SyncToolSpecification(pipeline, (exchange, request) -> pipeline(request.arguments())));
    }

    McpSchema.CallToolResult help(Map<String, Object> arguments) {
        try (CallGate.Permit permit = gate.enter()) {
            String service = string(arguments, "service").orElseThrow(() -> new CommandRules.Refused("'service' is required"));
            List<String> argv = CommandRules.helpCommand(service, string(arguments, "command"));
            ExecResult result = sandbox.run(PipelineRequest.builder(Pipeline.of(List.of(argv)))
                    .timeout(settings.defaultTimeout())
                    .stdout(OutputTarget.capture(settings.maxOutput() * 4L))
                    .stderr(OutputTarget.capture(64 * 1024))
                    .build());
            String text = result.stdout().text().replaceAll(".\b", "");
            return respond(result, text);
        } catch (CommandRules.Refused e) {
            return refused(e.getMessage());
        } catch (SandboxException e) {
            return refused("the sandbox could not run it: " + e.getMessage());
        }
    }

    McpSchema.CallToolResult pipeline(Map<String, Object> arguments) {
        try (CallGate.Permit permit = gate.enter()) {
            String command = string(arguments, "command").orElseThrow(() -> new CommandRules.Refused("'command' is required"));
            Duration timeout = timeout(arguments);
            Pipeline pipeline = CommandRules.pipeline(command, settings.filters(), settings.region());
            CommandRules.checkAwsArguments(pipeline.stages().getFirst(), sandbox.host());
            PipelineRequest.Builder request = PipelineRequest.builder(pipeline)
                    .timeout(timeout)
                    .stdout(OutputTarget.capture(settings.maxOutput() * 4L))
                    .stderr(OutputTarget.capture(64 * 1024));
            for (int i = 1; i < pipeline.size(); i++) {
                request.stagePolicy(i, filterPolicy);
            }
            ExecResult result = sandbox.run(request.build());
            return respond(result, result.stdout().text());
        } catch (CommandRules.Refused e) {
            return refused(e.getMessage());
        } catch (SandboxException e) {
            return refused("the sandbox could not run it: " + e.getMessage());
        }
    }

    private Duration timeout(Map<String, Object> arguments) throws CommandRules.Refused {
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
        } else {
            throw new CommandRules.Refused("'timeout' must be a whole number of seconds");
        }
        if (seconds < 1 || seconds > settings.maxTimeout().toSeconds()) {
            throw new CommandRules.Refused("'timeout' must be between 1 and " + settings.maxTimeout().toSeconds() + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    private McpSchema.CallToolResult respond(ExecResult result, String stdout) {
        boolean truncated = result.stdout().truncated() || stdout.length() > settings.maxOutput();
        StringBuilder text = new StringBuilder(stdout.length() > settings.maxOutput()
                ? stdout.substring(0, settings.maxOutput()) : stdout);
        if (truncated) {
            text.append("\n[output truncated at ").append(settings.maxOutput())
                    .append(" characters of ").append(result.stdout().totalBytes())
                    .append(" bytes; narrow it with --query, --max-items or a filter such as head]");
        }
        if (!result.isSuccess()) {
            String stderr = result.stderr().text().strip();
            if (!stderr.isEmpty()) {
                text.append(text.isEmpty() ? "" : "\n").append(stderr);
            }
            text.append("\n[failed: ").append(result.failureSummary()).append("]");
            for (String hint : result.hints()) {
                text.append("\n[sandbox: ").append(hint).append("]");
            }
            AwsErrorHints.forStderr(stderr).ifPresent(h -> text.append("\n[hint: ").append(h).append("]"));
        }
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("exitCode", result.exitCode());
        structured.put("success", result.isSuccess());
        structured.put("timedOut", result.timedOut());
        result.failedStage().ifPresent(i -> structured.put("failedStage", i + 1));
        structured.put("truncated", truncated);
        structured.put("stdoutBytes", result.stdout().totalBytes());
        structured.put("backend", result.backend().label());
        structured.put("enforcement", result.enforcement().summary());
        structured.put("durationMs", result.duration().toMillis());
        return McpSchema.CallToolResult.builder()
                .addTextContent(text.toString())
                .structuredContent(structured)
                .isError(!result.isSuccess())
                .build();
    }

    private static McpSchema.CallToolResult refused(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private static Optional<String> string(Map<String, Object> arguments, String name) throws CommandRules.Refused {
        Object value = arguments == null ? null : arguments.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new CommandRules.Refused("'" + name + "' must be a string");
        }
        return Optional.of(s);
    }
}
