package dev.awssandbox.mcp;

import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.policy.Redactor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read-only resources about the AWS configuration; never a secret value. */
final class AwsResources {
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*(?:profile\\s+)?([^\\]]+?)\\s*]\\s*$");
    static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
            "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
            "eu-south-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
            "ap-southeast-2", "ap-east-1", "me-south-1", "af-south-1");

    private final ServerContext context;
    private final HostEnvironment host;
    private final McpSettings settings;
    private final McpJsonMapper json;
    private final CallGate gate;

    AwsResources(ServerContext context, McpJsonMapper json, CallGate gate) {
        this.context = context;
        this.gate = gate;
        this.host = context.runner.host();
        this.settings = context.settings;
        this.json = json;
    }

    List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of(
                resource("aws://config/profiles", "profiles", "AWS CLI profiles (names only)", this::profiles),
                resource("aws://config/regions", "regions", "AWS regions and the default one", this::regions),
                resource("aws://config/environment", "environment",
                        "AWS variables the server sees (secret values never shown) and the sandbox in force", this::environment),
                resource("aws://config/account", "account", "the caller identity (sandboxed aws sts get-caller-identity)",
                        this::account));
    }

    List<McpServerFeatures.SyncResourceTemplateSpecification> templates() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder("aws://config/regions/{region}", "region")
                .description("one AWS region").mimeType("application/json").build();
        return List.of(new McpServerFeatures.SyncResourceTemplateSpecification(template, (exchange, request) -> {
            String region = request.uri().substring("aws://config/regions/".length());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("region", region);
            info.put("known", REGIONS.contains(region));
            info.put("default", settings.region().map(region::equals).orElse(false));
            return text(request.uri(), info);
        }));
    }

    private interface Reader {
        Object read() throws IOException, SandboxException;
    }

    private McpServerFeatures.SyncResourceSpecification resource(String uri, String name, String description, Reader reader) {
        McpSchema.Resource resource = McpSchema.Resource.builder(uri, name).description(description)
                .mimeType("application/json").build();
        return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> {
            try {
                return text(uri, reader.read());
            } catch (IOException | SandboxException e) {
                return text(uri, Map.of("error", e.getMessage()));
            }
        });
    }

    private McpSchema.ReadResourceResult text(String uri, Object value) {
        try {
            return McpSchema.ReadResourceResult.builder(List.of(
                    McpSchema.TextResourceContents.builder(uri, json.writeValueAsString(value)).mimeType("application/json")
                            .build())).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object profiles() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        Path dir = SandboxPolicy.Credentials.awsDirectory(host);
        for (Path file : List.of(host.get("AWS_CONFIG_FILE").map(host::expand).orElse(dir.resolve("config")),
                host.get("AWS_SHARED_CREDENTIALS_FILE").map(host::expand).orElse(dir.resolve("credentials")))) {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = SECTION.matcher(line);
                    if (m.matches() && !m.group(1).startsWith("sso-session")) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return Map.of("profiles", List.copyOf(names), "active", host.get("AWS_PROFILE").orElse("default"));
    }

    private Object regions() {
        return Map.of("regions", REGIONS, "default", settings.region().orElse(""));
    }

    private Object environment() throws SandboxException {
        Map<String, Object> env = new LinkedHashMap<>();
        for (String name : SandboxPolicy.Credentials.AWS_VARIABLES) {
            host.get(name).ifPresent(v -> env.put(name, SandboxPolicy.Credentials.SECRET_VARIABLES.contains(name) ? "(set)" : v));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("variables", env);
        out.put("sandbox", context.runner.describe());
        out.put("workspace", context.workspace().toString());
        return out;
    }

    private Object account() throws SandboxException {
        List<String> argv;
        try {
            argv = context.policy.pipeline("aws sts get-caller-identity --output json", Optional.empty(), Optional.empty())
                    .stages().getFirst();
        } catch (dev.awssandbox.mcp.policy.Refused e) {
            return Map.of("error", e.getMessage());
        }
        SandboxRunner.Outcome result;
        try (CallGate.Permit _ = gate.enter()) { // held for the run
            result = context.runner.run(List.of(argv), Duration.ofSeconds(60), new Redactor(context.secrets.refresh()),
                    64 * 1024);
        }
        if (!result.success()) {
            return Map.of("error", result.stderr().strip());
        }
        try {
            return json.readValue(result.stdout(), Map.class);
        } catch (IOException e) {
            return Map.of("raw", result.stdout());
        }
    }
}
