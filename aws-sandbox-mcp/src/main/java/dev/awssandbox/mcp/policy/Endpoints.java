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
 * names under them that AWS customers control (API Gateway, load balancers, S3 websites, Lambda URLs).
 */
public final class Endpoints {
    /** The partitions' {@code dnsSuffix} and {@code dualStackDnsSuffix} (botocore's {@code partitions.json}). */
    static final List<String> AWS_DOMAINS = List.of(".amazonaws.com", ".amazonaws.com.cn", ".api.aws",
            ".api.amazonwebservices.com.cn", ".amazonaws.eu", ".api.amazonwebservices.eu", ".c2s.ic.gov",
            ".api.aws.ic.gov", ".sc2s.sgov.gov", ".api.aws.scloud", ".cloud.adc-e.uk", ".api.cloud-aws.adc-e.uk",
            ".csp.hci.ic.gov", ".api.aws.hci.ic.gov");
    private static final List<String> CUSTOMER_CONTROLLED = List.of(".execute-api.", ".elb.", "s3-website",
            ".lambda-url.", ".vpce.", ".elasticbeanstalk.", ".on.aws");

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern URL = Pattern.compile("([Hh][Tt][Tt][Pp][Ss]?)://((?:" + LABEL + "\\.)*" + LABEL
            + "|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?(/[A-Za-z0-9._~/-]*)?");

    /**
     * An endpoint in the plain form.
     *
     * @param scheme {@code http} or {@code https}, lower-cased
     * @param host   lower-cased
     * @param port   the port, the scheme's default filled in
     */
    record Url(String scheme, String host, int port) {
        String origin() {
            return scheme + "://" + host + ":" + port;
        }
    }

    private final Set<String> allowed;

    /** @param configured endpoints named by the policy and the server's own {@code AWS_ENDPOINT_URL*} */
    public Endpoints(List<String> configured) {
        Set<String> origins = new TreeSet<>();
        for (String c : configured) {
            origin(c.strip()).ifPresent(origins::add);
        }
        this.allowed = java.util.Collections.unmodifiableSet(origins);
    }

    /** The allowed non-AWS origins. */
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
        return Optional.of(new Url(scheme, m.group(2).toLowerCase(Locale.ROOT), port));
    }

    /** {@code scheme://host:port} of an endpoint in the plain form, lower-cased, with the default port filled in. */
    static Optional<String> origin(String url) {
        return parse(url).map(Url::origin);
    }

    /** An https endpoint on port 443 under AWS's domains, not of a kind customers control. */
    static boolean isAws(String url) {
        return parse(url).filter(u -> u.scheme().equals("https") && u.port() == 443)
                .map(u -> AWS_DOMAINS.stream().anyMatch(u.host()::endsWith)
                        && CUSTOMER_CONTROLLED.stream().noneMatch(u.host()::contains))
                .orElse(false);
    }

    /** Whether the policy or the server named this endpoint. */
    boolean isConfigured(String url) {
        return origin(url).map(allowed::contains).orElse(false);
    }

    /** Whether requests may be sent to this URL. */
    public boolean allows(String url) {
        return isAws(url) || isConfigured(url);
    }

    void check(String url, String what) throws Refused {
        if (!allows(url)) {
            throw new Refused(what + " '" + AwsCli.abbreviate(url) + "' is not allowed: signed requests carry the access"
                    + " key id and session token, so they go only to AWS endpoints (https://HOST under AWS's domains,"
                    + " nothing but host, port and path) and to the endpoints the server allows"
                    + (allowed.isEmpty() ? " (none configured; AWS_MCP_ALLOWED_ENDPOINTS)" : ": " + String.join(", ", allowed)));
        }
    }
}
