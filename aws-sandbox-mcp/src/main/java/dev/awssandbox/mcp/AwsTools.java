package dev.awssandbox.mcp;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.Classification;
import dev.awssandbox.mcp.policy.Redactor;
import dev.awssandbox.mcp.policy.Refused;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two tools of the reference server. Every call goes through the AWS command policy, which
 * hands back the canonical argv that runs; every result and message is redacted of the secrets
 * the server knows, and says how the command was classified.
 */
final class AwsTools {
    private final ServerContext context;
    private final AwsCommandPolicy policy;
    private final McpSettings settings;
    private final CallGate gate;

    AwsTools(ServerContext context, CallGate gate) {
        this(context, context.policy, gate);
    }

    /** With another policy (tests: one without the argument rules). */
    AwsTools(ServerContext context, AwsCommandPolicy policy, CallGate gate) {
        this.context = context;
        this.policy = policy;
        this.settings = context.settings;
        this.gate = gate;
    }

    List<McpServerFeatures.SyncToolSpecification> specifications() {
        McpSchema.Tool help = McpSchema.Tool.builder("aws_cli_help", Map.of("type", "object",
                        "properties", Map.of(
                                "service", Map.of("type", "string", "description", "AWS service, e.g. s3, ec2, lambda"),
                                "command", Map.of("type", "string", "description", "optional command, e.g. describe-instances")),
                        "required", List.of("service")))
                .description("Get the AWS CLI documentation of a service, or of one of its commands"
                        + " (e.g. service 's3', command 'cp'). Runs 'aws SERVICE [COMMAND] help' in a sandbox.")
                .annotations(new McpSchema.ToolAnnotations("AWS CLI help", true, false, true, false, null))
                .build();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("command", Map.of("type", "string", "description", "the command line, starting with 'aws'"));
        properties.put("timeout", Map.of("type", "integer", "description", "seconds, at most "
                + settings.maxTimeout().toSeconds()));
        properties.put("profile", Map.of("type", "string", "description", "optional AWS CLI profile"
                + (policy.config().profiles().isEmpty() ? "" : ", one of: " + String.join(", ", policy.config().profiles()))));
        properties.put("region", Map.of("type", "string", "description", "optional AWS region"
                + (policy.config().regions().isEmpty() ? "" : ", one of: " + String.join(", ", policy.config().regions()))));
        McpSchema.Tool pipeline = McpSchema.Tool.builder("aws_cli_pipeline",
                        Map.of("type", "object", "properties", properties, "required", List.of("command")))
                .description("Run an AWS CLI command, optionally piped into text filters ("
                        + String.join(", ", policy.config().filters()) + "), e.g. "
                        + "\"aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' | jq -r '.[]' | sort\"."
                        + " No shell is involved: only '|' joins commands. Filters run with the network off. Local files"
                        + " are relative paths in the server's workspace: download with 'aws s3 cp s3://b/k ./f', then use"
                        + " ./f or file://f in later calls." + (policy.config().readOnly() ? " Read-only: only operations"
                        + " that read are allowed." : ""))
                .annotations(new McpSchema.ToolAnnotations("AWS CLI", policy.config().readOnly(), true, false, true, null))
                .build();
        return List.of(
                new McpServerFeatures.SyncToolSpecification(help, (exchange, request) -> help(request.arguments())),
                new McpServerFeatures.SyncToolSpecification(pipeline,
                        (exchange, request) -> pipeline(exchange, request.arguments())));
    }

    McpSchema.CallToolResult help(Map<String, Object> arguments) {
        try (CallGate.Permit _ = gate.enter()) {
            String service = string(arguments, "service").orElseThrow(() -> new Refused("'service' is required"));
            List<String> argv = policy.help(service, string(arguments, "command"));
            Redactor redactor = new Redactor(context.secrets.refresh());
            SandboxRunner.Outcome result = context.runner.run(List.of(argv), settings.defaultTimeout(), redactor,
                    settings.maxOutput() * 4L);
            return respond(result, result.stdout().replaceAll(".\b", ""), Optional.empty());
        } catch (Refused e) {
            return refused(e.getMessage());
        } catch (SandboxException e) {
            return refused("the sandbox could not run it: " + redact(e.getMessage()));
        }
    }

    McpSchema.CallToolResult pipeline(McpSyncServerExchange exchange, Map<String, Object> arguments) {
        try (CallGate.Permit _ = gate.enter()) {
            String command = string(arguments, "command").orElseThrow(() -> new Refused("'command' is required"));
            Duration timeout = timeout(arguments);
            AwsCommandPolicy.Decision decision = policy.pipeline(command, string(arguments, "profile"),
                    string(arguments, "region"));
            if (decision.consent().isPresent()) {
                Consent.require(exchange, decision);
            }
            Redactor redactor = new Redactor(context.secrets.refresh());
            SandboxRunner.Outcome result = context.runner.run(decision.stages(), timeout, redactor,
                    settings.maxOutput() * 4L);
            return respond(result, result.stdout(), Optional.of(decision.classification()));
        } catch (Refused e) {
            return refused(redact(e.getMessage()));
        } catch (SandboxException e) {
            return refused("the sandbox could not run it: " + redact(e.getMessage()));
        }
    }

    private String redact(String message) {
        return new Redactor(context.secrets.values()).redact(message);
    }

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
        } else {
            throw new Refused("'timeout' must be a whole number of seconds");
        }
        if (seconds < 1 || seconds > settings.maxTimeout().toSeconds()) {
            throw new Refused("'timeout' must be between 1 and " + settings.maxTimeout().toSeconds() + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    private McpSchema.CallToolResult respond(SandboxRunner.Outcome result, String stdout,
                                             Optional<Classification> classification) {
        boolean truncated = result.truncated() || stdout.length() > settings.maxOutput();
        StringBuilder text = new StringBuilder(stdout.length() > settings.maxOutput()
                ? stdout.substring(0, settings.maxOutput()) : stdout);
        if (truncated) {
            text.append("\n[output truncated at ").append(settings.maxOutput())
                    .append(" characters of ").append(result.stdoutBytes())
                    .append(" bytes; narrow it with --query, --max-items or a filter such as head]");
        }
        if (!result.success()) {
            String stderr = result.stderr().strip();
            if (!stderr.isEmpty()) {
                text.append(text.isEmpty() ? "" : "\n").append(stderr);
            }
            text.append("\n[failed: ").append(result.failure()).append("]");
            for (String hint : result.hints()) {
                text.append("\n[sandbox: ").append(hint).append("]");
            }
            AwsErrorHints.forStderr(stderr).ifPresent(h -> text.append("\n[hint: ").append(h).append("]"));
        }
        Map<String, Object> structured = new LinkedHashMap<>();
        classification.ifPresent(c -> structured.put("operation", Map.of("name", c.name(), "access",
                c.read() ? "read" : "write", "label", c.label())));
        structured.put("exitCode", result.exitCode());
        structured.put("success", result.success());
        structured.put("timedOut", result.timedOut());
        result.failedStage().ifPresent(i -> structured.put("failedStage", i + 1));
        structured.put("truncated", truncated);
        structured.put("stdoutBytes", result.stdoutBytes());
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
                .addTextContent(redact(text.toString()));
        classification.ifPresent(c -> builder.addTextContent("operation: " + c.label()));
        return builder.structuredContent(structured).isError(!result.success()).build();
    }

    private static McpSchema.CallToolResult refused(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private static Optional<String> string(Map<String, Object> arguments, String name) throws Refused {
        Object value = arguments == null ? null : arguments.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new Refused("'" + name + "' must be a string");
        }
        return Optional.of(s);
    }
}
