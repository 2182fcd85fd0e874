package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.awssandbox.core.HostEnvironment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Where signed requests may go (red team finding 1): every value botocore uses as an endpoint is
 * judged as botocore and urllib read it, with the installed AWS CLI as the oracle; and the real
 * AWS CLI, against a loopback listener, shows what each refused spelling would have done.
 */
class EndpointsTest {
    private static AwsCli cli;

    @TempDir
    Path workspace;

    @TempDir
    Path paramFileCopies;

    @BeforeAll
    static void load() {
        Optional<Path> data = AwsCli.locate(HostEnvironment.current());
        assumeTrue(data.isPresent(), "no AWS CLI installed");
        cli = AwsCli.load(data.get());
    }

    private AwsCommandPolicy policy(List<String> endpoints, Map<String, String> env) throws Exception {
        Map<String, String> vars = new java.util.HashMap<>(env);
        vars.put("HOME", workspace.toString());
        PolicyConfig config = PolicyConfig.load(HostEnvironment.current().withVariables(vars));
        // the checked copies of parameter files go to a directory the test removes (decisions here are not released)
        return new AwsCommandPolicy(cli, config, new Workspace(workspace.toRealPath()), new Endpoints(endpoints),
                Optional.empty()).withParamFileCopies(paramFileCopies);
    }

    /** Spellings of a URL whose scheme's case differs: the plain form, judged by their origin. */
    static final List<String> CASE_SPELLINGS = List.of("Http://127.0.0.1:%d", "HTTP://127.0.0.1:%d");

    /** Spellings the red team sent out, and more that urllib reads as URLs, not in the plain form (%d: a port). */
    static final List<String> URL_SPELLINGS = List.of("//127.0.0.1:%d", " http://127.0.0.1:%d",
            "\thttp://127.0.0.1:%d", "ht\ttp://127.0.0.1:%d", "http://127.0.0.1:%d\n", "http://u@127.0.0.1:%d",
            "http://127.0.0.1:%d?x", "http://127.0.0.1:%d#f");

    @Test
    void theSpellingsAreUrlsToUrllibAndThePlainFormIsReadAlikeByJavaAndUrllib() throws Exception {
        List<String> refused = new ArrayList<>(URL_SPELLINGS.stream().map(s -> s.formatted(18080)).toList());
        refused.addAll(List.of("https://s3.amazonaws.com\\@evil.example", "https://evil.example#@s3.amazonaws.com",
                "https://s3.amazonaws.com.", "HTTPS ://s3.amazonaws.com", "https:/s3.amazonaws.com",
                "https://s3.amazonaws.com:443:1", "https://s3.amazonaws.com/\u00e9"));
        List<String> accepted = List.of("https://S3.EU-WEST-1.AMAZONAWS.COM", "HTTPS://sts.us-east-1.amazonaws.com:443/",
                "http://127.0.0.1:5000", "Http://127.0.0.1:5000/p/q", "http://localhost:4566", "http://[::1]:4566",
                "https://realtime.machinelearning.us-east-1.amazonaws.com", "http://0:1");
        for (String r : refused) {
            assertThat(Endpoints.parse(r)).as("%s is not in the plain form", r.replace("\t", "\\t")).isEmpty();
        }
        List<String> all = new ArrayList<>(refused);
        all.addAll(accepted);
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            JsonNode split = oracle.ask(Map.of("op", "urlsplit", "urls", all));
            for (int i = 0; i < URL_SPELLINGS.size(); i++) {
                assertThat(split.get(i).path("hostname").asString()).as("urllib reads %s as a URL to 127.0.0.1",
                        all.get(i).replace("\t", "\\t")).isEqualTo("127.0.0.1");
            }
            for (int i = refused.size(); i < all.size(); i++) {
                Endpoints.Url ours = Endpoints.parse(all.get(i)).orElseThrow();
                JsonNode theirs = split.get(i);
                assertThat(theirs.path("scheme").asString()).as(all.get(i)).isEqualTo(ours.scheme());
                assertThat(theirs.path("hostname").asString()).as(all.get(i))
                        .isEqualTo(ours.host().replace("[", "").replace("]", ""));
                int port = theirs.path("port").isNull() ? (ours.scheme().equals("https") ? 443 : 80)
                        : theirs.path("port").asInt();
                assertThat(port).as(all.get(i)).isEqualTo(ours.port());
            }
        }
    }

    /**
     * botocore's built-in handlers and the AWS CLI's modules, searched in their source for what
     * changes a request's host: the one model parameter botocore sends requests to is
     * machinelearning's PredictEndpoint (checked here as an endpoint); the AWS CLI's is in its
     * codecommit credential helper, a command this server does not run. A new one fails this test.
     */
    @Test
    void everyParameterBotocoreSendsRequestsToIsCheckedAsAnEndpoint() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            JsonNode found = oracle.ask(Map.of("op", "host_switches"));
            Map<String, Set<String>> theirs = new TreeMap<>();
            for (JsonNode h : found.path("botocore").values()) {
                String[] event = h.path("event").asString().split("\\.");
                assertThat(h.path("params").isEmpty()).as("a handler that changes the host without a parameter: %s", h)
                        .isFalse();
                String service = event[1];
                String op = CliNames.of(event[2]);
                for (JsonNode p : h.path("params").values()) {
                    theirs.computeIfAbsent(service + ":" + op, k -> new TreeSet<>()).add("--" + CliNames.of(p.asString()));
                }
            }
            assertThat(theirs).isEqualTo(new TreeMap<>(AwsCliTables.ENDPOINT_PARAMETERS));
            List<String> modules = new ArrayList<>();
            found.path("awscli").values().forEach(m -> modules.add(m.asString()));
            assertThat(modules).containsExactly("awscli.customizations.codecommit");
            assertThatThrownBy(() -> cli.parse(List.of("aws", "codecommit", "credential-helper", "get")))
                    .isInstanceOf(Refused.class);

            // a host prefix only puts labels in front of the endpoint's host
            JsonNode prefixes = oracle.ask(Map.of("op", "host_prefixes"));
            assertThat(prefixes.size()).isGreaterThan(10);
            for (String prefix : prefixes.propertyNames()) {
                assertThat(prefix).as("hostPrefix of %s", prefixes.path(prefix).asString())
                        .matches("(?:[a-z0-9.-]|\\{[A-Za-z]+\\})+[.-]");
            }
        }
    }

    /** What botocore does with the values the policy refuses: proof that each was a real way out. */
    @Test
    void botocoreSendsSignedRequestsWhereTheseValuesSay() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            JsonNode predict = oracle.ask(Map.of("op", "request_url", "service", "machinelearning", "operation", "Predict",
                    "params", Map.of("MLModelId", "m", "Record", Map.of(), "PredictEndpoint", "HTTP://127.0.0.1:9"),
                    "region", "us-east-1"));
            assertThat(predict.path("url").asString()).startsWith("http://127.0.0.1:9/");
            assertThat(predict.path("signed").booleanValue()).isTrue();
            JsonNode local = oracle.ask(Map.of("op", "request_url", "service", "dynamodb", "operation", "ListTables",
                    "params", Map.of(), "region", "local"));
            assertThat(local.path("url").asString()).isEqualTo("http://localhost:8000/");
            assertThat(local.path("signed").booleanValue()).isTrue();
            JsonNode arn = oracle.ask(Map.of("op", "request_url", "service", "s3", "operation", "GetObject",
                    "params", Map.of("Bucket", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap", "Key", "k"),
                    "region", "eu-west-1"));
            assertThat(arn.path("url").asString()).contains(".us-east-1.amazonaws.com");
        }
        AwsCommandPolicy p = policy(List.of(), Map.of("AWS_MCP_ALLOWED_REGIONS", "eu-west-1"));
        assertThatThrownBy(() -> p.pipeline("aws machinelearning predict --ml-model-id m --record k=v"
                + " --predict-endpoint HTTP://127.0.0.1:9 --region eu-west-1", Optional.empty(), Optional.empty()))
                .hasMessageContaining("--predict-endpoint 'HTTP://127.0.0.1:9' is not allowed");
        assertThatThrownBy(() -> p.pipeline("aws dynamodb list-tables --region local", Optional.empty(), Optional.empty()))
                .hasMessageContaining("'local' is not a region of an AWS partition");
        assertThatThrownBy(() -> p.pipeline("aws s3api get-object --bucket arn:aws:s3:us-east-1:123456789012:accesspoint/ap"
                + " --key k out --region eu-west-1", Optional.empty(), Optional.empty()))
                .hasMessageContaining("an ARN in region 'us-east-1' is not allowed");
    }

    /**
     * The real AWS CLI sends {@code machinelearning predict} with its signature and session token
     * to the host of every spelling the red team found; the policy refuses each of them, and lets
     * through the plain form of an allowed endpoint, which reaches it.
     */
    @Test
    void theRealAwsCliFollowsEverySpellingAndThePolicyRefusesThem() throws Exception {
        assumeTrue(AwsCliOracle.python().isPresent(), "no AWS CLI");
        // the AWS CLI runs two at a time (each run is mostly Python's start): every run sends its own
        // record (k=run-N), by which the listener tells whose request it got
        Map<String, List<String>> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.regex.Pattern record = java.util.regex.Pattern.compile("\"k\"\\s*:\\s*\"(run-\\d+)\"");
        HttpServer listener = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        listener.createContext("/", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher run = record.matcher(request);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            tokens.computeIfAbsent(run.find() ? run.group(1) : "no run named", k -> new CopyOnWriteArrayList<>())
                    .add(auth != null && auth.startsWith("AWS4-HMAC-SHA256") ? exchange.getRequestHeaders()
                            .getFirst("X-Amz-Security-Token") : "unsigned");
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        try (java.util.concurrent.ExecutorService runs = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            int port = listener.getAddress().getPort();
            AwsCommandPolicy strict = policy(List.of("http://127.0.0.1:" + (port == 65535 ? port - 1 : port + 1)), Map.of());
            AwsCommandPolicy allowing = policy(List.of("http://127.0.0.1:" + port), Map.of());
            List<String> spellings = new ArrayList<>(URL_SPELLINGS);
            spellings.addAll(CASE_SPELLINGS);
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < spellings.size(); i++) {
                List<String> argv = List.of("aws", "machinelearning", "predict", "--ml-model-id", "m", "--record",
                        "k=run-" + i, "--predict-endpoint", spellings.get(i).formatted(port), "--region", "us-east-1");
                statuses.add(runs.submit(() -> run(argv)));
            }
            // the control: the plain form of the allowed endpoint is allowed, and what runs reaches it
            List<String> allowed = List.of("http://127.0.0.1:" + port, "Http://127.0.0.1:" + port + "/",
                    "HTTP://127.0.0.1:" + port + "//");
            // an allowed endpoint with its own path only (red team, mcp round D, D4: an emulator's management route)
            assertThat(catchThrowable(() -> allowing.pipeline("aws machinelearning predict --ml-model-id m --record k=v"
                    + " --predict-endpoint http://127.0.0.1:" + port + "/p --region us-east-1", Optional.empty(),
                    Optional.empty()))).isInstanceOf(Refused.class).hasMessageContaining("with its own path");
            List<java.util.concurrent.Future<Integer>> controls = new ArrayList<>();
            for (int i = 0; i < allowed.size(); i++) {
                List<String> canonical = allowing.pipeline("aws machinelearning predict --ml-model-id m --record k=run-"
                        + (spellings.size() + i) + " --predict-endpoint " + allowed.get(i) + " --region us-east-1",
                        Optional.empty(), Optional.empty()).stages().getFirst();
                assertThat(canonical).contains("--predict-endpoint=" + allowed.get(i));
                controls.add(runs.submit(() -> run(canonical)));
            }
            for (int i = 0; i < spellings.size(); i++) {
                String spelling = spellings.get(i);
                String value = spelling.formatted(port);
                assertThat(statuses.get(i).get()).as("the AWS CLI ran %s", value.replace("\t", "\\t")).isZero();
                assertThat(tokens.getOrDefault("run-" + i, List.of())).as("signed, with the session token: %s",
                        value.replace("\t", "\\t")).containsExactly("planted-session-token");
                for (AwsCommandPolicy p : CASE_SPELLINGS.contains(spelling) ? List.of(strict) : List.of(strict, allowing)) {
                    String line = "aws machinelearning predict --ml-model-id m --record k=v --predict-endpoint '"
                            + value + "' --region us-east-1";
                    assertThat(catchThrowable(() -> p.pipeline(line, Optional.empty(), Optional.empty())))
                            .as("refused by the %s policy: %s", p == strict ? "strict" : "allowing",
                                    value.replace("\t", "\\t"))
                            .isInstanceOf(Refused.class)
                            .hasMessageContaining("--predict-endpoint").hasMessageContaining("is not allowed");
                }
            }
            for (int i = 0; i < allowed.size(); i++) {
                assertThat(controls.get(i).get()).isZero();
                assertThat(tokens.getOrDefault("run-" + (spellings.size() + i), List.of()))
                        .as("the allowed endpoint got the request").hasSize(1);
                String control = allowed.get(i);
                assertThatThrownBy(() -> strict.pipeline("aws machinelearning predict --ml-model-id m --record k=v"
                        + " --predict-endpoint " + control + " --region us-east-1", Optional.empty(), Optional.empty()))
                        .hasMessageContaining("is not allowed");
            }
            assertThat(tokens).as("every request came from one of the runs").doesNotContainKey("no run named");
        } finally {
            listener.stop(0);
        }
    }

    /** Runs the AWS CLI on PATH with planted credentials and no configuration; its exit status. */
    private int run(List<String> argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workspace.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.toUpperCase(java.util.Locale.ROOT).contains("PROXY"));
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDPLANTED");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "planted-secret");
        pb.environment().put("AWS_SESSION_TOKEN", "planted-session-token");
        pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("HOME", workspace.toString());
        Files.createDirectories(workspace);
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the AWS CLI did not finish: " + argv);
        }
        return process.exitValue();
    }
}
