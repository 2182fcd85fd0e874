package dev.awssandbox.mcp.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where signed requests may go. A request the AWS CLI signs carries the access key id and the
 * session token, so every value that decides where requests go ({@code --endpoint-url} in any
 * spelling, {@code machinelearning predict --predict-endpoint}) may name only an AWS endpoint over
 * https, the server's own {@code AWS_ENDPOINT_URL*}, or an endpoint the policy names (a local moto or
 * LocalStack). Loopback is not allowed unless named: {@code --endpoint-url http://127.0.0.1:PORT}
 * otherwise reads any local HTTP service.
 *
 * <p>A value counts as an endpoint only in one plain form: {@code http} or {@code https} (any case),
 * {@code ://}, a host name of letters, digits, dashes and dots (or a bracketed IPv6 address), an
 * optional port and an optional plain path, and nothing else: no whitespace or control character
 * anywhere (urllib strips leading ones and removes tabs and newlines inside, so
 * {@code ' https://x'} and {@code 'ht\ttp://x'} are URLs to it), no user info, query or fragment,
 * no scheme-relative {@code //host}. For that form Java and Python's urllib find the same scheme,
 * host and port, so the decision here is the one botocore acts on; every other value is refused.
 *
 * <p>AWS endpoints are https hosts under the DNS suffixes of AWS's partitions, except the kinds of
 * names under them that AWS customers control: a customer-chosen label before a service label
 * (API Gateway, AppSync, AgentCore gateways, load balancers, S3 buckets and websites, Object Lambda,
 * OpenSearch, IoT account endpoints; {@link #customerNamed}).
 */
public final class Endpoints {
    /** The partitions' {@code dnsSuffix} and {@code dualStackDnsSuffix} (botocore's {@code partitions.json}). */
    static final List<String> AWS_DOMAINS = List.of(".amazonaws.com", ".amazonaws.com.cn", ".api.aws",
            ".api.amazonwebservices.com.cn", ".amazonaws.eu", ".api.amazonwebservices.eu", ".c2s.ic.gov",
            ".api.aws.ic.gov", ".sc2s.sgov.gov", ".api.aws.scloud", ".cloud.adc-e.uk", ".api.cloud-aws.adc-e.uk",
            ".csp.hci.ic.gov", ".api.aws.hci.ic.gov");
    /**
     * Service labels under which the labels before them name a customer's resource: an API, a load
     * balancer, a function URL, an AppSync API or an AgentCore gateway (whose authorizers, written by
     * their owner, get the request's headers, the session token among them: red team, mcp round 11,
     * F3), an S3 bucket, access point or Object Lambda access point ({@code bucket.s3.REGION},
     * {@code bucket.s3-REGION}, {@code name-ACCOUNT.s3-object-lambda.REGION}, S3 Express's
     * {@code bucket.s3express-AZ.REGION}), an OpenSearch domain or collection
     * ({@code search-NAME.REGION.es}, {@code ID.REGION.aoss}), an IoT account endpoint
     * ({@code PREFIX-ats.iot.REGION}, where an account's default authorizer runs), a Grafana workspace,
     * an EC2 host; and the hosts of resources a customer runs (red team, mcp round D, D1): a managed Airflow web server
     * ({@code ID.cN.REGION.airflow}, which runs its owner's plugins), an Amazon MQ broker's console, an EKS cluster's API
     * server, an OpenSearch Ingestion pipeline, a Cloud9 preview, a Verified Access endpoint, EMR Studio and its
     * application UIs, a Managed Blockchain node. Under AWS's certificates, so TLS does not stop a request there. The
     * same label first is AWS's own endpoint ({@code s3.REGION}, {@code es.REGION}, {@code eks.REGION};
     * {@code appsync-api} never is). A list of the service labels found so far, not a principle: a customer host under a
     * label not listed here passes (docs/mcp.md).
     */
    private static final Pattern CUSTOMER_SERVICE_LABEL = Pattern.compile("execute-api|appsync-api|appsync-realtime-api"
            + "|lambda-url|elb|vpce|elasticbeanstalk|bedrock-agentcore|s3|s3-[a-z0-9-]+|s3express-[a-z0-9-]+|es|aoss|aos"
            + "|iot|grafana-workspace|compute|compute-1|airflow|mq|eks|osis|cloud9|vfs|verified-access|emrstudio-prod"
            + "|emrappui-prod|managedblockchain|emrnotebooks-prod|webview-assets|analytics-gateway");
    /**
     * What AWS itself puts before such a label: botocore's {@code iot-data} and {@code iot-jobs-data} endpoints, MWAA's
     * operations' host prefixes ({@code api.}, {@code env.}, {@code ops.}).
     */
    private static final Set<String> AWS_NAMES = Set.of("data-ats.iot", "data.iot", "data.jobs.iot", "api.airflow",
            "env.airflow", "ops.airflow");

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern URL = Pattern.compile("([Hh][Tt][Tt][Pp][Ss]?)://((?:" + LABEL + "\\.)*" + LABEL
            + "|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?(/[A-Za-z0-9._~/-]*)?");

    /**
     * An endpoint in the plain form.
     *
     * @param scheme {@code http} or {@code https}, lower-cased
     * @param host   lower-cased
     * @param port   the port, the scheme's default filled in
     * @param path   the path as written, empty where there is none
     */
    record Url(String scheme, String host, int port, String path) {
        String origin() {
            return scheme + "://" + host + ":" + port;
        }

        /**
         * The origin and the path without its trailing {@code /}s: an allowed endpoint is allowed with its own path only.
         * An emulator serves its own management routes on the same origin (moto's {@code POST /moto-api/reset} deletes
         * every resource; LocalStack's {@code /_localstack/…}), and botocore sends an operation to the path the URL
         * names: a "read" named with that path had wiped the emulator (red team, mcp round D, D4).
         */
        String target() {
            return origin() + path.replaceFirst("/+$", "");
        }
    }

    private final Set<String> allowed;

    /** @param configured endpoints named by the policy and the server's own {@code AWS_ENDPOINT_URL*} */
    public Endpoints(List<String> configured) {
        Set<String> targets = new TreeSet<>();
        for (String c : configured) {
            parse(c.strip()).map(Url::target).ifPresent(targets::add);
        }
        this.allowed = java.util.Collections.unmodifiableSet(targets);
    }

    /** The allowed non-AWS endpoints: each origin with its path ({@link Url#target}). */
    public Set<String> configured() {
        return allowed;
    }

    /** The value as an endpoint in the plain form, if it is one. */
    static Optional<Url> parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return Optional.empty();
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : scheme.equals("https") ? 443 : 80;
        return Optional.of(new Url(scheme, m.group(2).toLowerCase(Locale.ROOT), port, m.group(4) == null ? "" : m.group(4)));
    }

    /** {@code scheme://host:port} of an endpoint in the plain form, lower-cased, with the default port filled in. */
    static Optional<String> origin(String url) {
        return parse(url).map(Url::origin);
    }

    /** An https endpoint on port 443 under AWS's domains, not of a kind customers control. */
    static boolean isAws(String url) {
        return parse(url).filter(u -> u.scheme().equals("https") && u.port() == 443)
                .flatMap(u -> AWS_DOMAINS.stream().filter(u.host()::endsWith).findFirst()
                        .map(domain -> !customerNamed(u.host().substring(0, u.host().length() - domain.length()))))
                .orElse(false);
    }

    /**
     * Whether the labels of a host under an AWS domain name a customer's resource: a label before a
     * service label of {@link #CUSTOMER_SERVICE_LABEL} (other than {@link #AWS_NAMES}), or an S3
     * website endpoint anywhere ({@code s3-website-REGION} serves the bucket the Host header names).
     */
    static boolean customerNamed(String labels) {
        String[] label = labels.split("\\.");
        for (int i = 0; i < label.length; i++) {
            if (label[i].startsWith("s3-website")) {
                return true;
            }
            if (i > 0 && CUSTOMER_SERVICE_LABEL.matcher(label[i]).matches()
                    && !AWS_NAMES.contains(String.join(".", java.util.Arrays.copyOfRange(label, 0, i + 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An S3 Object Lambda access point ARN ({@code arn:PARTITION:s3-object-lambda:REGION:ACCOUNT:accesspoint/NAME},
     * or {@code accesspoint:NAME}), in any case: botocore's own parser is case-sensitive, so an odd
     * spelling fails there, and refusing it here costs nothing.
     */
    private static final Pattern OBJECT_LAMBDA_ARN = Pattern.compile(
            "arn:([^:\\s\"]*):s3-object-lambda:([^:\\s\"]*):([^:\\s\"]*):accesspoint[/:]([^/:\\s\"]*)",
            Pattern.CASE_INSENSITIVE);

    /**
     * The endpoints the Object Lambda access point ARNs in a value send requests to, in the form
     * {@code AWS_MCP_ALLOWED_ENDPOINTS} names them: botocore sends a request whose Bucket is such an
     * ARN to {@code https://NAME-ACCOUNT.s3-object-lambda.REGION.amazonaws.com} (or
     * {@code .amazonaws.com.cn}), the host {@link #customerNamed} refuses as {@code --endpoint-url}.
     */
    static List<String> objectLambdaEndpoints(String value) {
        List<String> found = new java.util.ArrayList<>();
        Matcher m = OBJECT_LAMBDA_ARN.matcher(value);
        while (m.find()) {
            String suffix = m.group(1).equalsIgnoreCase("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com";
            found.add(("https://" + m.group(4) + "-" + m.group(3) + ".s3-object-lambda." + m.group(2) + suffix)
                    .toLowerCase(Locale.ROOT));
        }
        return found;
    }

    /**
     * An S3 Object Lambda access point alias ({@code NAME-…--ol-s3}), which S3 takes in place of a
     * bucket's name and answers through the access point's Lambda function, as the ARN does; its
     * requests go to S3's own host, so no allowed endpoint can stand for it (red team, mcp round 13, F2).
     * Bucket names cannot end in {@code --ol-s3} (S3 reserves the suffix for these aliases). Found where
     * a bucket's name starts (a value's start, after {@code s3://}, a quote, a blank, {@code =}, {@code ,},
     * {@code :}, {@code [} or <code>{</code>), not inside a key's path.
     */
    private static final Pattern OBJECT_LAMBDA_ALIAS = Pattern.compile(
            "(?:^|(?<=s3://|[\"'\\s=,:\\[{]))[A-Za-z0-9][A-Za-z0-9-]*--ol-s3(?![A-Za-z0-9.-])", Pattern.CASE_INSENSITIVE);

    /** The Object Lambda access point aliases in a value. */
    static List<String> objectLambdaAliases(String value) {
        return OBJECT_LAMBDA_ALIAS.matcher(value).results().map(java.util.regex.MatchResult::group).toList();
    }

    /** Whether the policy or the server named this endpoint: its origin and its path. */
    boolean isConfigured(String url) {
        return parse(url).map(Url::target).map(allowed::contains).orElse(false);
    }

    /** Whether requests may be sent to this URL. */
    public boolean allows(String url) {
        return isAws(url) || isConfigured(url);
    }

    void check(String url, String what) throws Refused {
        if (!allows(url)) {
            throw new Refused(what + " '" + AwsCli.abbreviate(url) + "' is not allowed: signed requests carry the access"
                    + " key id and session token, so they go only to AWS endpoints (https://HOST under AWS's domains,"
                    + " nothing but host, port and path) and to the endpoints the server allows, each with its own path"
                    + (allowed.isEmpty() ? " (none configured; AWS_MCP_ALLOWED_ENDPOINTS)" : ": " + String.join(", ", allowed)));
        }
    }
}
