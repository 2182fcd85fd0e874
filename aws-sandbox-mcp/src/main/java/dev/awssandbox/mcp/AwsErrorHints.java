package dev.awssandbox.mcp;

import dev.awssandbox.core.ExecResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do about the AWS errors a model meets most, keyed by what the AWS CLI prints: at least
 * the reference server's cases (credentials, expired and invalid tokens, a missing profile,
 * permissions, region, unknown commands, missing or invalid parameters, resources that do not
 * exist, throttling), each matched against the error as the AWS CLI really prints it (tests run
 * them against moto_server). The first rule that matches gives the hint, so the specific rules come
 * before the general ones.
 */
final class AwsErrorHints {
    private record Rule(Pattern pattern, String hint) {}

    private static Rule rule(String regex, String hint) {
        return new Rule(Pattern.compile(regex), hint);
    }

    /** What the AWS CLI prints when its credential chain found nothing (it then probed the instance metadata service). */
    private static final java.util.regex.Pattern NO_CREDENTIALS = java.util.regex.Pattern.compile(
            "Unable to locate credentials|NoCredentialProviders|Your credential profile is not properly configured");

    private static final List<Rule> RULES = List.of(
            rule("The config profile \\((?<name>[^)]*)\\) could not be found",
                    "there is no profile '${name}' in the AWS configuration the server reads: read aws://config/profiles"
                            + " for the names, or leave 'profile' out to use the server's default; if '${name}' is the"
                            + " server's own default (aws://config/profiles shows it as active), the user must fix the"
                            + " server's AWS_PROFILE"),
            // what the AWS CLI could not open in the sandbox: a credential_process program, a file the AWS config names
            // (outside test WF29, F6: the model had only the errno)
            rule("\\[Errno 13\\] Permission denied: '(?<name>[^']*)'",
                    "the sandbox does not let the AWS CLI open '${name}'; if the AWS configuration names it (a profile's"
                            + " credential_process), only the user can grant it, in the server's configuration ("
                            + "AWS_MCP_SANDBOX_READ_PATHS): tell them; retrying will not help. A file of the command's own"
                            + " must be a relative path in the workspace"),
            rule(NO_CREDENTIALS.pattern(),
                    "no AWS credentials reached the sandbox: set AWS_PROFILE or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
                            + " variables for the server, and check AWS_MCP_SANDBOX_CREDENTIALS (env, aws_config or both);"
                            + " aws://config/environment shows where credentials come from"),
            rule("ExpiredToken|[Tt]oken has expired|RequestExpired|credentials could not be refreshed|SSO session .* expired",
                    "the credentials have expired: the user must refresh them (e.g. aws sso login, or new temporary"
                            + " keys), then retry"),
            rule("InvalidClientTokenId|UnrecognizedClientException|InvalidAccessKeyId|The security token included in the"
                            + " request is invalid|AuthFailure|SignatureDoesNotMatch|InvalidSignatureException",
                    "the credentials are not valid for this endpoint (unknown key, wrong secret, or a token for another"
                            + " partition): check which credentials the server uses (aws://config/environment) and the"
                            + " region; retrying will not help"),
            rule("AccessDenied|UnauthorizedOperation|AuthorizationError|not authorized to perform|Forbidden",
                    "the credentials lack permission for this call: check the IAM policy (aws iam simulate-principal-policy"
                            + " shows what is allowed), or use a read-only call that is permitted"),
            rule("You must specify a region|NoRegionError",
                    "no region: add --region REGION or the 'region' argument (aws://config/regions lists them)"),
            rule("DryRunOperation",
                    "the dry run says the request would have succeeded; run it again without --dry-run to do it, once the"
                            + " user agrees"),
            rule("the following arguments are required|Missing required parameter|[Rr]equired argument|missing required",
                    "a required parameter is missing: aws_cli_help with the service and command lists the required ones"),
            rule("Invalid choice|invalid choice|[Uu]nknown command|Unknown options",
                    "unknown service, command or option: aws_cli_help with the service lists its commands, and with the"
                            + " command its options"),
            rule("Throttl|Rate exceeded|TooManyRequests|RequestLimitExceeded|SlowDown|ProvisionedThroughputExceeded"
                            + "|reached max retries",
                    "the API is rate limiting these requests: wait a little and retry, with fewer calls or smaller pages"
                            + " (--page-size, --max-items)"),
            rule("NoSuchBucket|NoSuchKey|NoSuchEntity|NoSuchUpload|ResourceNotFound|[A-Za-z]+\\.NotFound|NotFoundException"
                            + "|\\(NotFound\\)|\\(404\\)|does not exist|not found",
                    "the resource does not exist here: check the name or ARN, and the region and account it is in (list"
                            + " them first, e.g. with a describe or list command)"),
            rule("BucketAlreadyExists|BucketAlreadyOwnedByYou|AlreadyExists|EntityAlreadyExists|already exists",
                    "it already exists: use it, or choose another name (S3 bucket names are global)"),
            rule("InvalidParameter|ValidationError|ValidationException|Invalid type for parameter|Parameter validation failed"
                            + "|Unknown parameter|InvalidArgument|MalformedPolicyDocument|Invalid length for parameter"
                            + "|InvalidRequest",
                    "a parameter value is not valid: check its format and allowed values with aws_cli_help (service and"
                            + " command)"),
            // through the egress proxy (network mode hosts) a refused connection is the proxy's 502,
            // which the AWS CLI shows as an unparsable response or a failed tunnel
            rule("Could not connect to the endpoint URL|Connect timeout|Read timeout on endpoint"
                            + "|aws-sandbox proxy cannot connect to",
                    "the endpoint could not be reached: check the region (and --endpoint-url), or retry; the service may"
                            + " not be offered in this region"));

    private AwsErrorHints() {}

    /**
     * A hint for each host the egress proxy refused ({@link #refused}), and for each allowed host it
     * could not reach, naming it: the AWS CLI prints
     * only {@code Failed to connect to proxy URL: "http://***:***@127.0.0.1:PORT"}, which names the
     * proxy, not the host, and no rule above matched it (red team, mcp round 11, F4). Knowing what the AWS CLI printed
     * ({@code stderr}): when it found no credentials, its own probe of the instance metadata service (which the proxy
     * always refuses) is no request of the command's, and the hint is that no credentials reached the sandbox; the
     * proxy's hint had said the request went there by --endpoint-url (outside test WF25, F7).
     */
    static List<String> forConnections(List<ExecResult.Connection> connections, String stderr) {
        boolean noCredentials = NO_CREDENTIALS.matcher(stderr).find();
        List<String> hints = new ArrayList<>();
        for (ExecResult.Connection c : connections) {
            if (!c.allowed() && noCredentials && c.linkOrMetadata()) {
                continue;
            }
            if (!c.allowed()) {
                hints.add(refused(c));
                continue;
            }
            if (!(c.reason().equals("cannot resolve") || c.reason().equals("cannot connect"))) {
                continue;
            }
            // advice that fits the case (outside test WF29, F9: a local endpoint that was not running, and AWS's own
            // endpoint on a host without DNS, were both told to check --endpoint-url and the region)
            boolean resolve = c.reason().equals("cannot resolve");
            String why = c.hostAndPort() + " could not be reached: it is allowed, but " + (resolve ? "its name does not"
                    + " resolve" : "nothing answered there") + " (the AWS CLI's 'Failed to connect to proxy URL', or its 502"
                    + " 'Bad Gateway', is this: the proxy is this server's)";
            if (loopback(c.host())) {
                hints.add(why + ": the local endpoint is not running; ask the user to start it (retrying now will not"
                        + " help)");
            } else if (resolve && c.host().endsWith(".amazonaws.com") && !c.host().contains("..")) {
                hints.add(why + ": if the service and region are right (aws://config/regions/REGION lists the services"
                        + " there), this server's host cannot resolve AWS's names (its DNS or network): tell the user;"
                        + " trying other regions will not help");
            } else {
                hints.add(why + ": check the host name in --endpoint-url or the region (AWS's endpoints are"
                        + " SERVICE.REGION.amazonaws.com; aws://config/regions/REGION lists the services there)");
            }
        }
        return hints;
    }

    /** Whether {@code host}, as a connection names it, is this machine's loopback (no name is looked up). */
    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * A connection the egress proxy refused, named: the AWS CLI shows the proxy's answer as
     * {@code An error occurred (403) … Forbidden} (or a failed tunnel), which the rules above took for
     * missing IAM permissions (testers' F15: an {@code endpoint_url} in the AWS config that
     * {@code AWS_MCP_ALLOWED_ENDPOINTS} did not name). The way to allow a host is said only for one no
     * pattern allowed, and not for a link-local, unspecified or multicast address (a metadata
     * service's: what an allow-list keeps from a command).
     */
    private static String refused(ExecResult.Connection c) {
        String hint = c.hostAndPort() + " was refused by this server's egress proxy (" + c.reason() + "): the AWS CLI"
                + " reaches only AWS endpoints and the endpoints the server allows, so its error (a 403 'Forbidden', or a"
                + " failed tunnel) is the proxy's answer, not AWS's, and says nothing about the credentials' permissions;"
                + " the request went there by --endpoint-url or the AWS config's endpoint_url";
        if (!c.notAllowed() || c.linkOrMetadata()) {
            return hint;
        }
        return hint + ". Use an AWS endpoint; or, if " + c.hostAndPort() + " is an endpoint the user means to use (a local"
                + " emulator), ask the user to allow it in the server's environment: AWS_MCP_ALLOWED_ENDPOINTS="
                + (c.port() == 443 ? "https://" : "http://") + c.hostAndPort()
                + (c.port() == 443 ? "" : " (https:// for an endpoint that speaks TLS)");
    }

    static Optional<String> forStderr(String stderr) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(stderr);
            if (m.find()) {
                String hint = rule.hint();
                if (hint.contains("${name}")) {
                    String name = m.group("name");
                    hint = hint.replace("${name}", name.length() > 64 ? name.substring(0, 64) + "…" : name);
                }
                return Optional.of(hint);
            }
        }
        return Optional.empty();
    }
}
