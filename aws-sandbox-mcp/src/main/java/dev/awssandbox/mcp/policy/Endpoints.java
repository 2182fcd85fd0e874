package dev.awssandbox.mcp.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where signed requests may go. A request the AWS CLI signs carries the access key id and the
 * session token, so {@code --endpoint-url} (in any spelling) may name only an AWS endpoint over
 * https, the server's own {@code AWS_ENDPOINT_URL*}, or an endpoint the policy names (a local moto or
 * LocalStack). Loopback is not allowed unless named: {@code --endpoint-url http://127.0.0.1:PORT}
 * otherwise reads any local HTTP service.
 *
 * <p>AWS endpoints are https hosts under AWS's domains, except the kinds of names under them that
 * AWS customers control (API Gateway, load balancers, S3 websites, Lambda URLs).
 */
public final class Endpoints {
    private static final List<String> AWS_DOMAINS = List.of(".amazonaws.com", ".amazonaws.com.cn", ".api.aws",
            ".c2s.ic.gov", ".sc2s.sgov.gov", ".cloud.adc-e.uk", ".csp.hci.ic.gov");
    private static final List<String> CUSTOMER_CONTROLLED = List.of(".execute-api.", ".elb.", "s3-website",
            ".lambda-url.", ".vpce.", ".elasticbeanstalk.", ".on.aws");

    private final Set<String> allowed;

    /** @param configured endpoints named by the policy and the server's own {@code AWS_ENDPOINT_URL*} */
    public Endpoints(List<String> configured) {
        Set<String> origins = new TreeSet<>();
        for (String c : configured) {
            origin(c).ifPresent(origins::add);
        }
        this.allowed = java.util.Collections.unmodifiableSet(origins);
    }

    /** The allowed non-AWS origins. */
    public Set<String> configured() {
        return allowed;
    }

    /** {@code scheme://host:port} of an http(s) URL, lower-cased, with the default port filled in. */
    static Optional<String> origin(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static boolean isAws(String url) {
        try {
            URI uri = new URI(url.trim());
            String host = uri.getHost();
            if (host == null || uri.getRawUserInfo() != null || !"https".equalsIgnoreCase(uri.getScheme())
                    || (uri.getPort() >= 0 && uri.getPort() != 443)) {
                return false;
            }
            host = host.toLowerCase(Locale.ROOT);
            String h = host;
            return AWS_DOMAINS.stream().anyMatch(h::endsWith)
                    && CUSTOMER_CONTROLLED.stream().noneMatch(h::contains);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether requests may be sent to this URL. */
    public boolean allows(String url) {
        return isAws(url) || origin(url).map(allowed::contains).orElse(false);
    }

    void check(String url, String what) throws Refused {
        if (!allows(url)) {
            throw new Refused(what + " " + AwsCli.abbreviate(url) + " is not allowed: signed requests carry the access"
                    + " key id and session token, so they go only to AWS endpoints (https) and to the endpoints the"
                    + " server allows" + (allowed.isEmpty() ? " (none configured; AWS_MCP_ALLOWED_ENDPOINTS)"
                    : ": " + String.join(", ", allowed)));
        }
    }
}
