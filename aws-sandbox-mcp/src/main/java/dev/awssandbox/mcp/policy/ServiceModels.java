package dev.awssandbox.mcp.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service models that ship with the installed AWS CLI (botocore's {@code data} directory),
 * read offline: which services and operations exist, each operation's parameters with their
 * types, whether it streams its output to a file, whether it paginates, its HTTP method, and the
 * waiters. A service is read on first use (its newest API version, as botocore picks it).
 */
final class ServiceModels {
    /** Model types of a parameter, as far as parsing needs them. */
    enum ParamType { BOOLEAN, LIST, STRUCTURE, MAP, BLOB, STRING, NUMBER, TIMESTAMP, OTHER }

    /**
     * An input member.
     *
     * @param name        the model name ({@code Bucket})
     * @param type        its type
     * @param streaming   a streaming blob: the AWS CLI reads the value as a local file path
     * @param boolValue   a structure whose only member is the boolean {@code Value} (EC2 pulls these up to flags)
     * @param region      whether it names a region, or holds a member that does ({@link #REGION_MEMBERS})
     * @param inPath      botocore puts its value into the request's path ({@code "location": "uri"}: S3's bucket and
     *                    key, Lambda's function name)
     */
    record Member(String name, ParamType type, boolean streaming, boolean boolValue, RegionMember region, boolean inPath) {}

    /** How an input member relates to a region the request may use. */
    enum RegionMember {
        /** not at all */
        NONE,
        /** it is a region's name ({@code --source-region}, {@code --replica-region}) */
        IS,
        /** a structure, list or map with such a member inside ({@code --replica-updates Create={RegionName=…}}) */
        HOLDS
    }

    /**
     * String members, lower-cased, whose value is a region a request reads from, writes to or
     * replicates to: {@code SourceRegion} (ec2 copy-snapshot reads the snapshot there),
     * {@code DestinationRegion}, {@code ReplicaRegion} (kms replicate-key), {@code Region}
     * (secretsmanager's replica regions) and {@code RegionName} (dynamodb's replicas). Other names
     * ({@code AwsRegion}, {@code TargetRegion}, lists such as {@code Regions}) are not covered: see
     * docs/decisions/mcp-policy-round-9.md.
     */
    static final Set<String> REGION_MEMBERS = Set.of("sourceregion", "destinationregion", "replicaregion", "region",
            "regionname");

    /**
     * An operation.
     *
     * @param name             the model name ({@code PutObject})
     * @param httpMethod       for REST protocols, the method; {@code POST} otherwise
     * @param members          input members in model order
     * @param streamingOutput  its output payload is a blob the AWS CLI writes to the {@code outfile} positional
     * @param paginated        botocore has a paginator for it
     * @param pageSize         the paginator has a limit key, so {@code --page-size} exists
     * @param secretOutput     the first output member that the model marks sensitive and names a secret
     *                         ({@code Credentials.SecretAccessKey}), or empty: see {@link #secretOutput}
     * @param longPoll         its documentation says it is a long poll or that it starts something (it takes work)
     */
    record Operation(String name, String httpMethod, List<Member> members, boolean streamingOutput, boolean paginated,
                     boolean pageSize, String secretOutput, boolean longPoll) {
        Operation {
            members = List.copyOf(members);
        }
    }

    /**
     * A service.
     *
     * @param name       botocore's name ({@code s3}, {@code config})
     * @param protocol   {@code rest-json}, {@code rest-xml}, {@code json}, {@code query}, {@code ec2}
     * @param endpointPrefix the service's endpoint prefix ({@code email} for ses)
     * @param signingName    the name its requests are signed for, IAM's prefix of its actions ({@code rds} for neptune)
     * @param operations by model name
     * @param waiters    waiter model name to operation model name
     */
    record Service(String name, String protocol, String endpointPrefix, String signingName, Map<String, Operation> operations,
                   Map<String, String> waiters) {
        Service {
            operations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(operations));
            waiters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(waiters));
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dataDirectory;
    private final Set<String> serviceNames;
    private final Map<String, Service> loaded = new ConcurrentHashMap<>();

    ServiceModels(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        Set<String> names = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(dataDirectory)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                if (newestVersion(dir).isPresent()) {
                    names.add(dir.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the AWS CLI's service models in " + dataDirectory, e);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no AWS service models in " + dataDirectory);
        }
        this.serviceNames = java.util.Collections.unmodifiableSet(names);
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** botocore's service names. */
    Set<String> serviceNames() {
        return serviceNames;
    }

    /** A service by botocore name, read on first use. */
    Optional<Service> service(String name) {
        if (!serviceNames.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(loaded.computeIfAbsent(name, this::load));
    }

    private static Optional<Path> newestVersion(Path serviceDir) {
        try (Stream<Path> versions = Files.list(serviceDir)) {
            return versions.filter(v -> Files.isRegularFile(v.resolve("service-2.json"))
                            || Files.isRegularFile(v.resolve("service-2.json.gz")))
                    .max(Comparator.comparing(v -> v.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> read(Path dir, String name) {
        for (String candidate : List.of(name, name + ".gz")) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                try (InputStream raw = Files.newInputStream(file);
                     InputStream in = candidate.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                    return Optional.of(JSON.readTree(in));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        return Optional.empty();
    }

    private Service load(String name) {
        Path version = newestVersion(dataDirectory.resolve(name)).orElseThrow();
        JsonNode model = read(version, "service-2.json").orElseThrow();
        JsonNode shapes = model.path("shapes");
        Set<String> paginated = new TreeSet<>();
        Set<String> limited = new TreeSet<>();
        read(version, "paginators-1.json").ifPresent(p -> p.path("pagination").properties().forEach(e -> {
            paginated.add(e.getKey());
            if (e.getValue().has("limit_key")) {
                limited.add(e.getKey());
            }
        }));
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : model.path("operations").properties()) {
            JsonNode op = e.getValue();
            String method = op.path("http").path("method").asString("POST");
            List<Member> members = new ArrayList<>();
            JsonNode input = shapes.path(op.path("input").path("shape").asString(""));
            for (Map.Entry<String, JsonNode> m : input.path("members").properties()) {
                JsonNode ref = m.getValue();
                JsonNode shape = shapes.path(ref.path("shape").asString(""));
                ParamType type = type(shape.path("type").asString(""));
                boolean streaming = type == ParamType.BLOB
                        && (ref.path("streaming").asBoolean(false) || shape.path("streaming").asBoolean(false));
                boolean boolValue = type == ParamType.STRUCTURE && shape.path("members").size() == 1
                        && shape.path("members").has("Value")
                        && shapes.path(shape.path("members").path("Value").path("shape").asString(""))
                                .path("type").asString("").equals("boolean");
                String shapeName = ref.path("shape").asString("");
                RegionMember region = REGION_MEMBERS.contains(m.getKey().toLowerCase(java.util.Locale.ROOT))
                        && type == ParamType.STRING ? RegionMember.IS
                        : holdsRegion(shapes, shapeName, new java.util.HashSet<>(), 0) ? RegionMember.HOLDS : RegionMember.NONE;
                members.add(new Member(m.getKey(), type, streaming, boolValue, region,
                        ref.path("location").asString("").equals("uri")));
            }
            boolean streamingOutput = false;
            JsonNode output = shapes.path(op.path("output").path("shape").asString(""));
            String payload = output.path("payload").asString("");
            if (!payload.isEmpty()) {
                JsonNode payloadShape = shapes.path(output.path("members").path(payload).path("shape").asString(""));
                streamingOutput = payloadShape.path("type").asString("").equals("blob");
            }
            String documentation = op.path("documentation").asString("").replaceAll("<[^>]*>", " ")
                    .replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
            String outputShape = op.path("output").path("shape").asString("");
            String secret = secretOutput(shapes, outputShape);
            if (secret.isEmpty()) {
                secret = linkTheDocumentationCallsPresigned(shapes, outputShape, documentation);
            }
            // a long poll, or an operation whose documentation says it starts something (sagemaker's
            // GetScalingConfigurationRecommendation "Starts … a recommendation job": red team, 2026-12-05, F2)
            operations.put(e.getKey(), new Operation(e.getKey(), method, members, streamingOutput,
                    paginated.contains(e.getKey()), limited.contains(e.getKey()), secret,
                    documentation.contains("long poll") || documentation.contains("long-poll")
                            || documentation.strip().startsWith("starts ")));
        }
        Map<String, String> waiters = new LinkedHashMap<>();
        read(version, "waiters-2.json").ifPresent(w -> w.path("waiters").properties().forEach(e ->
                waiters.put(e.getKey(), e.getValue().path("operation").asString(""))));
        return new Service(name, model.path("metadata").path("protocol").asString(""),
                model.path("metadata").path("endpointPrefix").asString(name),
                model.path("metadata").path("signingName").asString(model.path("metadata").path("endpointPrefix").asString(name)),
                operations, waiters);
    }

    /**
     * Output member names that name a secret, credential or token (lower-cased, matched anywhere in
     * the name); also an MFA seed and the QR code that encodes it (iam's virtual MFA devices: the
     * seed makes every future code), a signature (ec2's bundle tasks: the signed S3 upload policy,
     * which with the access key id beside it lets anyone upload) and an activation code (registers
     * a device: workspaces-thin-client's environments) and authentication material (what a device
     * authenticates with: iot-managed-integrations' discovered devices) — only where the model marks
     * them sensitive, as for every name here, which keeps lex's intent signatures and sagemaker's
     * random seeds reads.
     */
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "secret(?!arn|id$|name|smanager)|password|passphrase|credential|authcode|connectionstring|apikey"
                    + "|privatekey|presignedurl|embedurl|signedurl|downloadurl|uploadurl|token|seed$|qrcode"
                    + "|signature$|activationcode|material$");
    /** Token members that only page through results. */
    private static final java.util.regex.Pattern PAGINATION_TOKEN = java.util.regex.Pattern.compile(
            "(next|continuation|pagination|page|starting|marker)token");
    /** Names that say the member is about a secret, not the secret ({@code credentialsParameter}: an ARN). */
    private static final java.util.regex.Pattern ABOUT_A_SECRET = java.util.regex.Pattern.compile(
            "(arn|id|ids|name|names|parameter|type|types|status|enabled|mode|providers?|expiration|expiry|expires"
                    + "|expiresat|length|policy|required)$");

    /**
     * A string output member that hands out access whether or not the model marks it sensitive:
     * a password or secret ({@code IceServerList[].Password} of kinesis-video-signaling's
     * GetIceServerConfig, glue's {@code AuthToken}, codepipeline's {@code SecretToken}) or a
     * pre-signed URL ({@code PreSignedUrl}, {@code PromptPresignedUrl}, {@code presignedS3Url},
     * {@code SnapshotDownloadUrl}): what {@code s3 presign} is a write for (red team, rounds 4, 5).
     */
    static boolean grantsAccess(String lowerName) {
        return lowerName.endsWith("password") || lowerName.endsWith("secret") || lowerName.endsWith("secrettoken")
                || lowerName.endsWith("authtoken") || lowerName.contains("presigned") && lowerName.endsWith("url")
                || lowerName.contains("signedurl") || lowerName.endsWith("downloadurl") || lowerName.endsWith("uploadurl");
    }

    /**
     * A pre-signed URL, or a link valid for a while: also a URI ({@code TranscriptFileUri}: "a temporary URI … only valid
     * for 15 minutes") and a temporary link: red team, 2026-12-05, F2. Not ssm's {@code TargetLocationsURL}, the URL the
     * caller gave (its documentation: "presigned Amazon S3 buckets"), which made the usual status checks of an
     * automation writes (review of the re-attack).
     */
    private static final java.util.regex.Pattern PRESIGNED = java.util.regex.Pattern.compile(
            "pre-?signed\\s+(?:amazon\\s+s3\\s+|s3\\s+)?ur[li]|(?:url|uri|link)s?\\b[^.]{0,80}\\bvalid for\\b"
                    + "|temporary\\s+(?:ur[li]|link)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * An operation whose own documentation says what it returns is a pre-signed or bearer link, where its output's
     * member does not ({@code url} of emr-serverless's GetDashboardForJobRun: "Creates and returns a URL … valid for one
     * hour"; {@code Location} of elbv2's GetTrustStoreCaCertificatesBundle: "returns a pre-signed S3 URI which is active
     * for ten minutes"): red team, 2026-12-05, F2. Only with an output member named as a link ({@link #LINK_MEMBER}):
     * s3's GetObject mentions pre-signed URLs and returns none.
     */
    private static final java.util.regex.Pattern RETURNS_LINK = java.util.regex.Pattern.compile(
            "pre-?signed\\s+(?:amazon\\s+s3\\s+|s3\\s+)?ur[li]|(?:url|uri|link)s?\\b[^.]{0,80}\\b(?:valid|active)\\s+for\\b"
                    + "|temporary\\s+bearer");
    /** An output member named as a link: {@code url}, {@code Location}, {@code TranscriptFileUri}, {@code DashboardUrl}. */
    private static final java.util.regex.Pattern LINK_MEMBER = java.util.regex.Pattern.compile("location|.*ur[li]");

    /**
     * The first string member of {@code output} named as a link ({@link #LINK_MEMBER}), where the operation's
     * {@code documentation} (lower-cased, without markup) says it returns a pre-signed or bearer link; else empty.
     */
    static String linkTheDocumentationCallsPresigned(JsonNode shapes, String output, String documentation) {
        if (output.isEmpty() || !RETURNS_LINK.matcher(documentation).find()) {
            return "";
        }
        return linkMember(shapes, output, "", new java.util.HashSet<>(), 0).orElse("");
    }

    private static Optional<String> linkMember(JsonNode shapes, String shapeName, String path, Set<String> seen, int depth) {
        if (depth > 12 || !seen.add(shapeName)) {
            return Optional.empty();
        }
        JsonNode shape = shapes.path(shapeName);
        switch (shape.path("type").asString("")) {
            case "structure" -> {
                for (Map.Entry<String, JsonNode> m : shape.path("members").properties()) {
                    String target = m.getValue().path("shape").asString("");
                    String here = path.isEmpty() ? m.getKey() : path + "." + m.getKey();
                    if (shapes.path(target).path("type").asString("").equals("string")
                            && LINK_MEMBER.matcher(m.getKey().toLowerCase(java.util.Locale.ROOT)).matches()) {
                        return Optional.of(here);
                    }
                    Optional<String> inner = linkMember(shapes, target, here, seen, depth + 1);
                    if (inner.isPresent()) {
                        return inner;
                    }
                }
                return Optional.empty();
            }
            case "list" -> {
                return linkMember(shapes, shape.path("member").path("shape").asString(""), path + "[]", seen, depth + 1);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /**
     * A member documented as a pre-signed URL, or as a link that is valid for a while, whatever its
     * name ({@code Location} of lambda's GetFunction and GetLayerVersion, {@code url} of devicefarm's
     * artifacts: red team, round 5).
     */
    static boolean presignedUrl(String documentation) {
        return PRESIGNED.matcher(documentation).find();
    }

    /** Names ending in Key or Keys that name where something is or which key is used, not key material. */
    private static final java.util.regex.Pattern NOT_KEY_MATERIAL = java.util.regex.Pattern.compile(
            "(^|public|pub|tag|partition|object|s3|kms|sort|hash|primary|idempotency)keys?$");

    /**
     * Key material by name, for a member the model marks sensitive: a name ending in Key or Keys
     * ({@code PreSharedKey} of ec2's VPN tunnels, ivs-realtime's {@code streamKey}, interconnect's
     * {@code activationKey}) that is not a public key, a tag, partition or object key, or a KMS key
     * (which names a key); {@code KeyId}, {@code KeyArn}, {@code KeyName}, {@code KeyPairs} do not
     * end in Key (red team, round 6).
     */
    static boolean keyMaterial(String lowerName) {
        return (lowerName.endsWith("key") || lowerName.endsWith("keys")) && !NOT_KEY_MATERIAL.matcher(lowerName).find();
    }

    /**
     * A whole configuration by name ({@code CustomerGatewayConfiguration} of ec2's VPN connections,
     * the device configuration of GetVpnConnectionDeviceSampleConfiguration): a text or blob that
     * the model marks sensitive because it embeds the keys it configures (the IPsec pre-shared
     * keys, there). A bare {@code Configuration} is not one: that is content the caller stored and
     * asks for (appconfigdata's GetLatestConfiguration, the repository file of a patch source in
     * ssm's GetPatchBaseline), read as any stored value is. A sensitive map so named is one too: the
     * settings of a channel or connector by name, among them the credentials it connects with (lex's
     * {@code botConfiguration}: a Slack client secret, a Facebook page access token, a Twilio auth
     * token; kafkaconnect's {@code connectorConfiguration}: {@code database.password}, …).
     */
    static boolean wholeConfiguration(String lowerName) {
        return (lowerName.endsWith("configuration") || lowerName.endsWith("config"))
                && !lowerName.equals("configuration") && !lowerName.equals("config");
    }

    /**
     * Settings by name, for a map the model marks sensitive ({@code properties}, {@code …Settings}, {@code …Parameters},
     * {@code …Options}, {@code …Overrides}): a program's settings, which hold the credentials it connects with
     * (emr-serverless's {@code applicationConfiguration[].properties}: red team, mcp round D, D3). Not tags, nor a map of
     * links (workdocs' thumbnails).
     */
    static boolean settings(String lowerName) {
        return lowerName.endsWith("properties") || lowerName.endsWith("settings") || lowerName.endsWith("parameters")
                || lowerName.endsWith("options") || lowerName.endsWith("overrides");
    }

    /**
     * Key material by name whether or not the model marks it sensitive: BGP, IPsec and other
     * shared keys ({@code authKey} of directconnect's virtual interfaces), private and signing
     * keys, and the LoRaWAN root and session keys of iotwireless's devices ({@code AppKey},
     * {@code NwkKey}, {@code AppSKey}, {@code NwkSEncKey}, …); not when the documentation says the
     * member is where the key is ({@code privateKey} of appmesh's TLS file certificates is a path).
     */
    static boolean keyMaterialAnyway(String lowerName, String documentation) {
        return UNMARKED_KEY_MATERIAL.matcher(lowerName).find() && !KEY_LOCATION.matcher(documentation).find();
    }

    private static final java.util.regex.Pattern UNMARKED_KEY_MATERIAL = java.util.regex.Pattern.compile(
            "(authkey|authenticationkey|presharedkey|sharedkey|privatekey|signingkey|secretkey|appkey|nwkkey|appskey"
                    + "|nwkskey|sintkey|senckey)$");
    private static final java.util.regex.Pattern KEY_LOCATION = java.util.regex.Pattern.compile(
            "file system|file path|\\bpath\\b|\\barn\\b", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * An instance's user data, whether or not the model marks it sensitive: the script or settings
     * an instance gets at boot, where passwords and keys are commonly passed (ec2 marks it in
     * launch templates and spot requests; autoscaling's launch configurations and imagebuilder's
     * {@code userDataOverride} do not); so is a script body run on every host at start (deadline's
     * fleets: {@code hostConfiguration.scriptBody}). Not {@code userdataType} or {@code UserDataShared}.
     */
    static boolean userData(String lowerName) {
        return lowerName.endsWith("userdata") || lowerName.endsWith("userdataoverride")
                || lowerName.endsWith("scriptbody");
    }

    /**
     * Environment variables, whether or not the model marks them sensitive: a map or a list of
     * name-value pairs named {@code environmentVariables} ({@code ContainerEnvironmentVariables},
     * {@code RuntimeEnvironmentVariables}, …), {@code environment} or {@code env} (ecs's and batch's
     * containers, sagemaker's jobs), or the {@code Variables} of an {@code Environment} (lambda's
     * functions): where secrets are commonly passed to a process, as they are in user data.
     *
     * @param lowerName the member's name, lower-cased
     * @param parent    the name of the member that holds it, lower-cased
     * @param type      the member's model type
     */
    static boolean environmentVariables(String lowerName, String parent, String type) {
        return (type.equals("map") || type.equals("list")) && (lowerName.endsWith("environmentvariables")
                || lowerName.equals("environment") || lowerName.equals("env")
                || lowerName.equals("variables") && parent.equals("environment"));
    }

    /**
     * An identity provider's details, whether or not the model marks them sensitive: a map named
     * {@code providerDetails} or {@code identityProviderDetails} (cognito-idp's and workspaces-web's
     * identity providers) holds the federation app's {@code client_secret} (Google, Facebook, Login
     * with Amazon, OIDC) or a Sign in with Apple {@code private_key}, which lets anyone act as the
     * app towards the identity provider (red team, mcp round 8).
     */
    static boolean identityProviderDetails(String lowerName, String type) {
        return type.equals("map") && lowerName.endsWith("providerdetails");
    }

    /**
     * Headers sent to another system, for a member the model marks sensitive (a map named
     * {@code headers} or {@code headerParameters}, a {@code HeaderValue}): where an API key or an
     * authorization header goes (bedrock-agentcore-control's remote MCP servers) or the shared
     * secret that proves a request came through CloudFront (its origins' custom headers, which AWS
     * documents as the way to restrict an origin to CloudFront).
     */
    static boolean headers(String lowerName) {
        return lowerName.endsWith("headers") || lowerName.endsWith("headerparameters") || lowerName.endsWith("headervalue");
    }

    private static boolean namesSecret(String lowerName, String parent) {
        if (lowerName.equals("value")) {
            return SECRET_NAME.matcher(parent).find() || parent.contains("key") && !parent.contains("tag");
        }
        return (SECRET_NAME.matcher(lowerName).find() || keyMaterial(lowerName))
                && !PAGINATION_TOKEN.matcher(lowerName).find() && !ABOUT_A_SECRET.matcher(lowerName).find();
    }

    /**
     * Evidence from the model that an operation hands out secrets: the path of the first output
     * member (searched through structures, lists and maps) whose member or shape the model marks
     * {@code sensitive} and whose name names a secret ({@link #SECRET_NAME}: {@code SecretAccessKey},
     * {@code SessionToken}, {@code DbPassword}, {@code EmbedUrl}, …; not a pagination token) or key
     * material ({@link #keyMaterial}: {@code PreSharedKey}), or that is a whole configuration text
     * ({@link #wholeConfiguration}: {@code CustomerGatewayConfiguration}) or map of settings (lex's
     * {@code botConfiguration}, a Kafka connector's {@code connectorConfiguration}), or headers sent
     * to another system ({@link #headers}), or the
     * {@code value} of a member so named ({@code streamKey.value}); empty when there is none. A
     * structure counts when one of its own members names a secret ({@code Credentials} with
     * {@code SecretAccessKey}, not {@code repositoryCredentials} with {@code credentialsParameter}).
     * Pending changes ({@code PendingModifiedValues}, what a Modify call set and the describe shows
     * while it is pending) are not searched: that would make every {@code rds describe-db-instances}
     * a write. A string member that grants access or is key material by its name or documentation
     * ({@link #grantsAccess}, {@link #presignedUrl}, {@link #keyMaterialAnyway}), or is an instance's
     * user data ({@link #userData}), counts whether or not it is marked; so does a map or list of
     * environment variables ({@link #environmentVariables}).
     */
    static String secretOutput(JsonNode shapes, String output) {
        if (output.isEmpty()) {
            return "";
        }
        return secretOutput(shapes, output, "", "", new java.util.HashSet<>(), 0).orElse("");
    }

    /**
     * A member that links to an object: {@code url}, {@code s3ObjectUrl}, {@code downloadUrl}, {@code presignedUrl}; also
     * spelt {@code Uri} ({@code S3Uri} of quicksight's dashboard snapshots, datazone's notebook exports) and an
     * authorization link with its parameters ({@code OAuthAuthorizationUrl}): MCP red team of 2026-12-05, R3-1.
     */
    private static final java.util.regex.Pattern SIGNED_URL = java.util.regex.Pattern.compile(
            "ur[li]|fileur[li]|.*(?:object|download|presigned|signed|artifact|s3|export|authorization)ur[li]");

    private static Optional<String> secretOutput(JsonNode shapes, String shapeName, String path, String parent,
                                                 Set<String> seen, int depth) {
        if (depth > 12 || !seen.add(shapeName)) {
            return Optional.empty();
        }
        try {
            JsonNode shape = shapes.path(shapeName);
            switch (shape.path("type").asString("")) {
                case "structure" -> {
                    Optional<String> sensitiveUrl = Optional.empty();
                    for (Map.Entry<String, JsonNode> m : shape.path("members").properties()) {
                        String member = m.getKey();
                        String target = m.getValue().path("shape").asString("");
                        JsonNode memberShape = shapes.path(target);
                        boolean sensitive = m.getValue().path("sensitive").asBoolean(false)
                                || memberShape.path("sensitive").asBoolean(false);
                        String type = memberShape.path("type").asString("");
                        String lower = member.toLowerCase(java.util.Locale.ROOT);
                        if (lower.equals("pendingmodifiedvalues")) {
                            continue;
                        }
                        // a bare Key is an object, tag or metadata key by its name (NOT_KEY_MATERIAL); one whose
                        // shape names a secret is the secret (location's DescribeKey: shape ApiKey, an API key)
                        boolean named = namesSecret(lower, parent)
                                || lower.equals("key") && SECRET_NAME.matcher(target.toLowerCase(java.util.Locale.ROOT)).find();
                        String here = path.isEmpty() ? member : path + "." + member;
                        boolean secret = switch (type) {
                            case "string", "blob" -> true;
                            case "structure" -> {
                                boolean any = false;
                                for (Map.Entry<String, JsonNode> inner : memberShape.path("members").properties()) {
                                    any |= namesSecret(inner.getKey().toLowerCase(java.util.Locale.ROOT), lower);
                                }
                                yield any;
                            }
                            default -> false;
                        };
                        String documentation = m.getValue().path("documentation").asString("")
                                + memberShape.path("documentation").asString("");
                        boolean text = type.equals("string") || type.equals("blob");
                        // a list of maps is read as its map (ssm's TaskParameters of GetMaintenanceWindowExecutionTask, a
                        // sensitive list of sensitive maps, had been a read: red team, mcp round F, F4)
                        JsonNode element = shapes.path(memberShape.path("member").path("shape").asString(""));
                        boolean map = type.equals("map") || type.equals("list") && element.path("type").asString("").equals("map");
                        JsonNode mapShape = type.equals("map") ? memberShape : element;
                        boolean sensitiveValues = sensitive || map && (mapShape.path("sensitive").asBoolean(false)
                                || shapes.path(mapShape.path("value").path("shape").asString("")).path("sensitive").asBoolean(false));
                        // a URL the model marks sensitive is a bearer URL: a pre-signed download link (qconnect's and
                        // wisdom's content.url, devicefarm's artifacts' url, whose own documentation does not say so: red
                        // team, mcp round F, F5); named only when nothing else here is a secret, and only a member named as
                        // a link to an object (not a website's or a profile's: review of round F)
                        if (sensitive && text && SIGNED_URL.matcher(lower).matches() && sensitiveUrl.isEmpty()) {
                            sensitiveUrl = Optional.of(here);
                        }
                        if (sensitive && (named && secret || text && (wholeConfiguration(lower) || headers(lower)))
                                // a sensitive map of settings by name: the credentials they connect with among them
                                // (emr-serverless's properties: a Hive metastore password; red team, mcp round D, D3)
                                || sensitiveValues && map && (wholeConfiguration(lower) || headers(lower) || settings(lower))
                                || environmentVariables(lower, parent, type)
                                || identityProviderDetails(lower, type)
                                || type.equals("string") && (grantsAccess(lower) || presignedUrl(documentation)
                                        || keyMaterialAnyway(lower, documentation) || userData(lower))) {
                            return Optional.of(here);
                        }
                        Optional<String> inner = secretOutput(shapes, target, here, lower, seen, depth + 1);
                        if (inner.isPresent()) {
                            return inner;
                        }
                    }
                    return sensitiveUrl;
                }
                case "list" -> {
                    return secretOutput(shapes, shape.path("member").path("shape").asString(""), path + "[]", parent,
                            seen, depth + 1);
                }
                case "map" -> {
                    return secretOutput(shapes, shape.path("value").path("shape").asString(""), path + "{}", parent,
                            seen, depth + 1);
                }
                default -> {
                    return Optional.empty();
                }
            }
        } finally {
            seen.remove(shapeName);
        }
    }

    /**
     * Whether a shape has, at any depth, a string member of a {@link #REGION_MEMBERS} name. A shape
     * is looked at once ({@code seen}: one already seen either led to no such member or is being
     * looked at above); models nest far less than the depth bound.
     */
    private static boolean holdsRegion(JsonNode shapes, String shapeName, Set<String> seen, int depth) {
        if (depth > 32 || !seen.add(shapeName)) {
            return false;
        }
        JsonNode shape = shapes.path(shapeName);
        return switch (shape.path("type").asString("")) {
            case "structure" -> {
                for (Map.Entry<String, JsonNode> m : shape.path("members").properties()) {
                    String target = m.getValue().path("shape").asString("");
                    if (REGION_MEMBERS.contains(m.getKey().toLowerCase(java.util.Locale.ROOT))
                            && shapes.path(target).path("type").asString("").equals("string")
                            || holdsRegion(shapes, target, seen, depth + 1)) {
                        yield true;
                    }
                }
                yield false;
            }
            case "list" -> holdsRegion(shapes, shape.path("member").path("shape").asString(""), seen, depth + 1);
            case "map" -> holdsRegion(shapes, shape.path("value").path("shape").asString(""), seen, depth + 1);
            default -> false;
        };
    }

    private static ParamType type(String type) {
        return switch (type) {
            case "boolean" -> ParamType.BOOLEAN;
            case "list" -> ParamType.LIST;
            case "structure" -> ParamType.STRUCTURE;
            case "map" -> ParamType.MAP;
            case "blob" -> ParamType.BLOB;
            case "string" -> ParamType.STRING;
            case "integer", "long", "float", "double" -> ParamType.NUMBER;
            case "timestamp" -> ParamType.TIMESTAMP;
            default -> ParamType.OTHER;
        };
    }

    /**
     * Finds botocore's data directory for the AWS CLI that {@code PATH} runs: an explicit
     * {@code AWS_MCP_BOTOCORE_DATA}, else next to the interpreter named by the {@code aws}
     * script's {@code #!} line (pyenv's shim is followed to the active version).
     */
    static Optional<Path> locate(dev.awssandbox.core.HostEnvironment host) {
        Optional<String> explicit = host.get("AWS_MCP_BOTOCORE_DATA");
        if (explicit.isPresent()) {
            return Optional.of(Path.of(explicit.get())).filter(Files::isDirectory);
        }
        for (Path aws : awsScripts(host)) {
            for (Path python : interpreter(aws, host).stream().toList()) {
                Path prefix = python.getParent() == null ? null : python.getParent().getParent();
                if (prefix == null) {
                    continue;
                }
                for (Path lib : List.of(prefix.resolve("lib"), prefix.resolve("lib64"))) {
                    try (Stream<Path> pythons = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
                        for (Path py : pythons.filter(p -> p.getFileName().toString().startsWith("python")).toList()) {
                            for (String site : List.of("site-packages", "dist-packages")) {
                                Path data = py.resolve(site).resolve("botocore").resolve("data");
                                if (Files.isDirectory(data)) {
                                    return Optional.of(data);
                                }
                            }
                        }
                    } catch (IOException e) {
                        // try the next candidate
                    }
                }
            }
        }
        for (String system : List.of("/usr/lib/python3/dist-packages/botocore/data")) {
            if (Files.isDirectory(Path.of(system))) {
                return Optional.of(Path.of(system));
            }
        }
        return Optional.empty();
    }

    /**
     * The pyenv version whose {@code aws} the server follows when the first {@code aws} on PATH is a
     * pyenv shim: {@code PYENV_VERSION}, else the pyenv root's global {@code version} file (as
     * {@link #awsScripts} reads it); empty when {@code aws} is not a shim. The AWS CLI stage is given
     * it as {@code PYENV_VERSION}, which pyenv puts before a {@code .python-version} in the working
     * directory: a downloaded one switched or broke the AWS CLI of every later call (red team, mcp
     * round 10, F3).
     */
    static Optional<String> pyenvVersion(dev.awssandbox.core.HostEnvironment host) {
        for (String dir : host.get("PATH").orElse("").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path aws = Path.of(dir, "aws");
            if (!Files.isRegularFile(aws) || !Files.isExecutable(aws)) {
                continue;
            }
            if (!dir.endsWith("/shims")) {
                return Optional.empty();
            }
            Path root = Path.of(dir).getParent();
            return host.get("PYENV_VERSION").or(() -> {
                try {
                    return Optional.of(Files.readString(root.resolve("version")).strip().split("\\s+")[0]);
                } catch (IOException e) {
                    return Optional.empty();
                }
            }).filter(v -> !v.isEmpty());
        }
        return Optional.empty();
    }

    /** The {@code aws} scripts PATH would run, pyenv shims resolved to the active version's script. */
    private static List<Path> awsScripts(dev.awssandbox.core.HostEnvironment host) {
        List<Path> found = new ArrayList<>();
        for (String dir : host.get("PATH").orElse("").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path aws = Path.of(dir, "aws");
            if (!Files.isRegularFile(aws) || !Files.isExecutable(aws)) {
                continue;
            }
            if (dir.endsWith("/shims")) {
                Path root = Path.of(dir).getParent();
                Optional<String> version = host.get("PYENV_VERSION").or(() -> {
                    try {
                        return Optional.of(Files.readString(root.resolve("version")).strip().split("\\s+")[0]);
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
                version.map(v -> root.resolve("versions").resolve(v).resolve("bin").resolve("aws"))
                        .filter(Files::isRegularFile).ifPresent(found::add);
            } else {
                found.add(aws);
            }
            break; // only the first aws on PATH runs
        }
        return found;
    }

    private static Optional<Path> interpreter(Path script, dev.awssandbox.core.HostEnvironment host) {
        try (InputStream in = Files.newInputStream(script)) {
            byte[] head = in.readNBytes(256);
            String first = new String(head, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (!first.startsWith("#!")) {
                return Optional.empty();
            }
            String[] words = first.substring(2).trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                return Optional.empty();
            }
            Path python = Path.of(words[0]);
            if (python.getFileName().toString().equals("env") && words.length > 1) { // "#!/usr/bin/env python3"
                python = null;
                for (String dir : host.get("PATH").orElse("").split(":")) {
                    Path candidate = Path.of(dir.isEmpty() ? "." : dir, words[1]);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        python = candidate;
                        break;
                    }
                }
                if (python == null) {
                    return Optional.empty();
                }
            }
            try {
                return Optional.of(python.toRealPath().getParent().resolve(python.getFileName()));
            } catch (IOException e) {
                return Optional.of(python);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
