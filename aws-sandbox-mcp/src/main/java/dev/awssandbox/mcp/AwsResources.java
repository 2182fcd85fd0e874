package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.mcp.policy.Redactor;
import dev.awssandbox.mcp.policy.Refused;
import dev.awssandbox.mcp.policy.Secrets;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Read-only resources about the AWS configuration, from real data and never a secret value:
 * regions, their names and partitions and the services each offers from the endpoint data that
 * ships with the installed AWS CLI (offline, complete); a region's availability zones and the
 * account's id, alias and organization from sandboxed AWS CLI calls (when the credentials allow
 * them; otherwise the resource says why); the profiles, and where credentials come from (their
 * source, never a value). What comes from AWS is cached for {@link #TTL}.
 */
final class AwsResources {
    /** How long what was read from AWS (account, availability zones) is reused. */
    static final Duration TTL = Duration.ofSeconds(60);

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+){1,4}-[0-9]{1,2}");

    private final ServerContext context;
    private final HostEnvironment host;
    private final AwsConfig aws;
    private final McpJsonMapper json;
    private final CallGate gate;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile EndpointData endpoints;

    private record Cached(long expires, Map<String, Object> value) {}

    AwsResources(ServerContext context, McpJsonMapper json, CallGate gate) {
        this.context = context;
        this.gate = gate;
        this.host = context.runner.host();
        this.aws = new AwsConfig(host);
        this.json = json;
    }

    List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of(
                resource("aws://config/profiles", "profiles", "AWS CLI profiles: names, region and credential source"
                        + " of each (never a secret)", call -> profiles()),
                resource("aws://config/regions", "regions", "every region of the installed AWS CLI's endpoint data, with"
                        + " its name and partition, and the default region", call -> regions()),
                resource("aws://config/environment", "environment", "the active profile, region and credential source,"
                        + " the AWS variables the server sees (secret values never shown) and the sandbox in force",
                        call -> environment()),
                resource("aws://config/account", "account", "the account: id, caller ARN, alias and organization"
                        + " (sandboxed sts, iam and organizations calls)", this::account));
    }

    List<McpServerFeatures.SyncResourceTemplateSpecification> templates() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder("aws://config/regions/{region}", "region")
                .description("one region: its name, partition, the services with an endpoint there, and its availability"
                        + " zones (sandboxed ec2 describe-availability-zones)")
                .mimeType("application/json").build();
        return List.of(new McpServerFeatures.SyncResourceTemplateSpecification(template, (exchange, request) -> {
            String region = request.uri().substring("aws://config/regions/".length());
            try {
                return text(request.uri(), region(region, Call.of(exchange, null)));
            } catch (IOException | SandboxException e) {
                return text(request.uri(), Map.of("error", redact(e.getMessage())));
            } finally {
                RunningCalls.answering();
            }
        }));
    }

    private interface Reader {
        Object read(Call call) throws IOException, SandboxException;
    }

    private McpServerFeatures.SyncResourceSpecification resource(String uri, String name, String description, Reader reader) {
        McpSchema.Resource resource = McpSchema.Resource.builder(uri, name).description(description)
                .mimeType("application/json").build();
        return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> {
            try {
                return text(uri, reader.read(Call.of(exchange, null)));
            } catch (IOException | SandboxException e) {
                return text(uri, Map.of("error", redact(e.getMessage())));
            } finally {
                RunningCalls.answering();
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

    private String redact(String message) {
        return new Redactor(context.secrets.values()).redact(message);
    }

    private EndpointData endpoints() throws IOException {
        EndpointData data = endpoints;
        if (data == null) {
            data = EndpointData.read(context.policy.cli().dataDirectory());
            endpoints = data;
        }
        return data;
    }

    private Map<String, Object> defaultRegion() {
        AwsConfig.Region region = aws.regionFor(Optional.empty());
        return Map.of("region", region.name(), "source", region.source());
    }

    private Object profiles() {
        List<Map<String, Object>> profiles = new java.util.ArrayList<>();
        for (String name : aws.profiles()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", name);
            Optional.ofNullable(aws.profile(name).get("region")).ifPresent(r -> p.put("region", r));
            p.put("credentials", aws.credentialSource(name, true).get("source")); // as with the 'profile' argument
            profiles.add(p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profiles", profiles);
        out.put("active", aws.activeProfile());
        out.put("allowed", context.policy.config().profiles().isEmpty() ? "any"
                : context.policy.config().profiles());
        out.put("files", List.of(aws.configFile().toString(), aws.credentialsFile().toString()));
        if (!aws.readableInSandbox()) {
            out.put("note", "AWS_MCP_SANDBOX_CREDENTIALS=" + host.credentials().name().toLowerCase(java.util.Locale.ROOT)
                    + ": the AWS CLI in the sandbox cannot read these files");
        }
        return out;
    }

    private Object regions() throws IOException {
        EndpointData data = endpoints();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("default", defaultRegion());
        out.put("regions", data.regions().stream().map(r -> Map.of("region", r.code(), "name", r.name(),
                "partition", r.partition())).toList());
        out.put("partitions", data.partitions().stream().map(p -> Map.of("partition", p.code(), "name", p.name(),
                "dnsSuffix", p.dnsSuffix(), "regions", p.regions().size())).toList());
        if (!context.policy.config().regions().isEmpty()) {
            out.put("allowed", context.policy.config().regions());
        }
        out.put("source", data.file().toString());
        return out;
    }

    private Map<String, Object> region(String code, Call call) throws IOException, SandboxException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("region", code);
        if (!REGION.matcher(code).matches()) {
            out.put("known", false);
            out.put("error", "not a region name (e.g. eu-west-1); aws://config/regions lists them");
            return out;
        }
        Optional<EndpointData.Region> known = endpoints().region(code);
        out.put("known", known.isPresent());
        known.ifPresent(r -> {
            out.put("name", r.name());
            out.put("partition", r.partition());
        });
        out.put("default", defaultRegion().get("region").equals(code));
        if (known.isEmpty()) {
            out.put("note", "not in the installed AWS CLI's endpoint data: a region newer than this AWS CLI, or a typo");
            return out;
        }
        out.put("services", endpoints().services(code));
        Map<String, Object> zones = cached("zones:" + code, () -> {
            Map<String, Object> z = new LinkedHashMap<>();
            Outcome r = aws("aws ec2 describe-availability-zones --output json", Optional.of(code), call);
            if (r.value().isPresent()) {
                z.put("availabilityZones", ((List<?>) r.value().get().getOrDefault("AvailabilityZones", List.of())).stream()
                        .map(o -> (Map<?, ?>) o).map(m -> {
                            Map<String, Object> zone = new LinkedHashMap<>();
                            for (String k : List.of("ZoneName", "ZoneId", "State", "ZoneType")) {
                                if (m.get(k) != null) {
                                    zone.put(Character.toLowerCase(k.charAt(0)) + k.substring(1), m.get(k));
                                }
                            }
                            return zone;
                        }).toList());
            } else {
                z.put("availabilityZonesError", r.error());
            }
            return z;
        });
        out.putAll(zones);
        return out;
    }

    private Object environment() throws SandboxException {
        Map<String, Object> env = new LinkedHashMap<>();
        for (String name : SandboxPolicy.Credentials.AWS_VARIABLES) {
            host.get(name).ifPresent(v -> env.put(name, SandboxPolicy.Credentials.SECRET_VARIABLES.contains(name) ? "(set)"
                    : Secrets.withoutUrlPassword(v)));
        }
        for (Map.Entry<String, String> e : host.variables().entrySet()) {
            if (e.getKey().startsWith("AWS_ENDPOINT_URL")) {
                env.put(e.getKey(), Secrets.withoutUrlPassword(e.getValue())); // round 46, F10: basic auth in front of it
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        String profile = aws.activeProfile();
        out.put("profile", profile);
        out.put("region", defaultRegion());
        out.put("credentials", aws.credentialSource(profile, false));
        out.put("credentialMode", host.credentials().name().toLowerCase(java.util.Locale.ROOT));
        out.put("variables", env);
        out.put("sandbox", context.runner.describe());
        out.put("workspace", context.workspace().toString());
        out.put("readOnly", context.policy.config().readOnly());
        context.audit().file().ifPresent(f -> out.put("auditLog", f.toString()));
        return out;
    }

    private Object account(Call call) throws SandboxException {
        return cached("account", () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            Outcome identity = aws("aws sts get-caller-identity --output json", Optional.empty(), call);
            if (identity.value().isEmpty()) {
                out.put("error", identity.error());
                out.put("credentials", aws.credentialSource(aws.activeProfile(), false));
                return out;
            }
            Map<String, Object> id = identity.value().get();
            out.put("account", id.get("Account"));
            out.put("arn", id.get("Arn"));
            out.put("userId", id.get("UserId"));
            Outcome aliases = aws("aws iam list-account-aliases --output json", Optional.empty(), call);
            if (aliases.value().isPresent()) {
                List<?> names = (List<?>) aliases.value().get().getOrDefault("AccountAliases", List.of());
                out.put("alias", names.isEmpty() ? null : names.getFirst());
            } else {
                out.put("aliasError", aliases.error());
            }
            Outcome org = aws("aws organizations describe-organization --output json", Optional.empty(), call);
            if (org.value().isPresent()) {
                Map<?, ?> o = (Map<?, ?>) org.value().get().getOrDefault("Organization", Map.of());
                Map<String, Object> organization = new LinkedHashMap<>();
                for (String k : List.of("Id", "Arn", "MasterAccountId", "FeatureSet")) {
                    if (o.get(k) != null) {
                        organization.put(k.equals("MasterAccountId") ? "managementAccountId"
                                : Character.toLowerCase(k.charAt(0)) + k.substring(1), o.get(k));
                    }
                }
                out.put("organization", organization);
            } else {
                out.put("organization", null);
                out.put("organizationNote", org.error().contains("AWSOrganizationsNotInUse")
                        ? "the account is not in an organization" : org.error());
            }
            return out;
        });
    }

    private interface Loader {
        Map<String, Object> load() throws SandboxException;
    }

    /** A value read from AWS, reused for {@link #TTL}; an error (a value with "error") is not kept. */
    private Map<String, Object> cached(String key, Loader loader) throws SandboxException {
        long now = System.nanoTime();
        Cached hit = cache.get(key);
        if (hit != null && hit.expires() - now > 0) {
            return hit.value();
        }
        Map<String, Object> value = loader.load();
        if (!value.containsKey("error")) {
            cache.put(key, new Cached(System.nanoTime() + TTL.toNanos(), value));
        }
        return value;
    }

    /**
     * An audit line for a command a resource did not run: the policy refused it, as a tool call's refusal is written (the
     * log had only the allowed ones: outside test RT24, F2).
     */
    private void auditRefused(String command, Call call, String reason) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", "mcp");
        record.put("session", call.sessionId().orElse("none"));
        record.put("tool", "resource");
        record.put("command", redact(command));
        record.put("decision", "refused");
        record.put("reason", redact(reason));
        context.audit().write(record);
    }

    /** A parsed JSON answer, or why there is none (redacted). */
    private record Outcome(Optional<Map<String, Object>> value, String error) {}

    /** Runs one read-only AWS CLI command through the policy and the sandbox, as a tool call would. */
    private Outcome aws(String command, Optional<String> region, Call call) throws SandboxException {
        List<List<String>> stages;
        try {
            var decision = context.policy.pipeline(command, Optional.empty(), region);
            if (decision.consent().isPresent()) { // a resource cannot ask the user
                String why = "the server's policy asks the user first (" + decision.consent().get()
                        + "): run it with aws_cli_pipeline";
                auditRefused(command, call, why);
                return new Outcome(Optional.empty(), why);
            }
            stages = decision.stages();
        } catch (Refused e) {
            String why = "the server's policy refuses it: " + e.getMessage();
            auditRefused(command, call, why);
            return new Outcome(Optional.empty(), why);
        }
        SandboxRunner.Outcome result;
        try (CallGate.Permit _ = gate.enter()) { // held for the run
            result = context.runner.run(stages, Duration.ofSeconds(60), new Redactor(context.secrets.refresh()), 1 << 20);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", "mcp");
        record.put("session", call.sessionId().orElse("none"));
        record.put("tool", "resource");
        record.put("argv", stages.getFirst().stream().map(this::redact).toList());
        record.put("decision", "allowed");
        record.put("backend", result.backend());
        record.put("status", result.success() ? "success" : result.timedOut() ? "timeout" : "error");
        record.put("exitCode", result.exitCode());
        record.put("durationMs", result.duration().toMillis());
        record.put("stdoutBytes", result.stdoutBytes());
        context.audit().write(record);
        if (!result.success()) {
            String stderr = result.stderr().strip();
            return new Outcome(Optional.empty(), stderr.isEmpty() ? result.failure() : stderr);
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = json.readValue(result.stdout(), Map.class);
            return new Outcome(Optional.of(parsed), "");
        } catch (IOException | RuntimeException e) {
            return new Outcome(Optional.empty(), "unexpected output: " + e.getMessage());
        }
    }
}
