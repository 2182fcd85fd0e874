package dev.awssandbox.mcp.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Region names, and the regions that ARNs and endpoint host names name.
 *
 * <p>A region is accepted only when it is a region of an AWS partition: it matches one of the
 * {@code regionRegex} of botocore's {@code partitions.json} ({@link #PARTITION_REGIONS}; a test
 * compares them with the installed file) or is one of the partitions' named pseudo-regions
 * ({@code aws-global}, …). Anything else is refused, because botocore resolves some other names to
 * hosts outside AWS: {@code dynamodb --region local} sends signed requests to
 * {@code http://localhost:8000}.
 */
final class Regions {
    /** The union of the partitions' {@code regionRegex} in botocore's {@code partitions.json}. */
    static final List<String> PARTITION_REGIONS = List.of(
            "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
            "^cn\\-\\w+\\-\\d+$",
            "^eusc\\-(de)\\-\\w+\\-\\d+$",
            "^us\\-iso\\-\\w+\\-\\d+$",
            "^us\\-isob\\-\\w+\\-\\d+$",
            "^eu\\-isoe\\-\\w+\\-\\d+$",
            "^us\\-isof\\-\\w+\\-\\d+$",
            "^us\\-gov\\-\\w+\\-\\d+$");

    /** The partitions' named regions that no {@code regionRegex} matches. */
    static final Set<String> PSEUDO_REGIONS = Set.of("aws-global", "aws-cn-global", "aws-iso-global",
            "aws-iso-b-global", "aws-iso-e-global", "aws-iso-f-global", "aws-us-gov-global");

    private static final List<Pattern> PATTERNS = PARTITION_REGIONS.stream()
            .map(r -> Pattern.compile(r.replace("\\w", "[a-z0-9]"))).toList();

    /** A region-like word inside a host label ({@code s3-us-west-2}, {@code sts.eu-west-1}). */
    private static final Pattern LABEL_SUFFIX = Pattern.compile("(?:^|-)(?=([a-z0-9-]+)$)");

    /**
     * An ARN's first four fields as botocore splits them ({@code arn:partition:service:region:}),
     * preceded by no letter or digit; fields hold no whitespace, quote or backslash.
     */
    private static final Pattern ARN = Pattern.compile("(?i)(?<![a-z0-9])arn:([^:\\s\"'\\\\]*):([^:\\s\"'\\\\]*):"
            + "([^:\\s\"'\\\\]*):");
    /**
     * An S3 ARN with an empty region and an account: a Multi-Region Access Point
     * ({@code arn:aws:s3::123456789012:accesspoint/abc.mrap}), which botocore signs for every region
     * (SigV4A, {@code *}) and S3 routes to any region of the access point. A bucket ARN
     * ({@code arn:aws:s3:::bucket}) has no account, and names no endpoint.
     */
    private static final Pattern S3_WITHOUT_REGION = Pattern.compile("(?i)(?<![a-z0-9])arn:[^:\\s\"'\\\\]*:"
            + "s3(?:-[a-z0-9-]*)?::[^:\\s\"'\\\\]+:[^\\s\"'\\\\]*");
    /**
     * A member that names a region ({@link ServiceModels#REGION_MEMBERS}) as JSON
     * ({@code "SourceRegion": "eu-west-1"}) or shorthand ({@code RegionName=eu-west-1}) writes it, in
     * any case, the key and the value optionally quoted; its value is group 1, 2 or 3, none of them
     * when it is a list or an object (which no string member takes).
     */
    private static final Pattern REGION_PARAMETER = Pattern.compile("(?i)(?<![a-z0-9_])[\"']?"
            + "(?:sourceregion|destinationregion|replicaregion|regionname|region)[\"']?\\s*[:=]\\s*"
            + "(?:\"([^\"]*)\"|'([^']*)'|(?=[\\[{])|([^\"',}\\]\\s\\[{]*))");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9-]+");

    private Regions() {}

    /** Whether botocore would take this as a region of an AWS partition. */
    static boolean valid(String region) {
        return PSEUDO_REGIONS.contains(region) || PATTERNS.stream().anyMatch(p -> p.matcher(region).matches());
    }

    /**
     * The regions a host name names, in any label and after any dash within a label
     * ({@code s3-us-west-2.amazonaws.com} names {@code us-west-2}).
     */
    static List<String> namedIn(String host) {
        List<String> found = new ArrayList<>();
        for (String label : host.toLowerCase(Locale.ROOT).split("\\.")) {
            Matcher m = LABEL_SUFFIX.matcher(label);
            while (m.find()) {
                String candidate = m.group(1);
                if (PATTERNS.stream().anyMatch(p -> p.matcher(candidate).matches()) && !found.contains(candidate)) {
                    found.add(candidate);
                }
            }
        }
        return found;
    }

    /**
     * The region fields of the ARNs in a value, as they could route a request: lower-cased, and
     * only those that could be a host label (empty fields and patterns such as {@code *} route
     * nowhere). JSON's {@code \\uXXXX} escapes are decoded and other backslashes dropped first, so
     * an ARN that JSON or shorthand would spell out is found.
     */
    static List<String> inArns(String value) {
        String text = unescape(value);
        List<String> found = new ArrayList<>();
        Matcher m = ARN.matcher(text);
        while (m.find()) {
            String region = m.group(3);
            if (HOST_LABEL.matcher(region).matches()) {
                String r = region.toLowerCase(Locale.ROOT);
                if (!found.contains(r)) {
                    found.add(r);
                }
            }
        }
        return found;
    }

    /**
     * The S3 ARNs in a value that name no region but an account (Multi-Region Access Points), with
     * the same decoding as {@link #inArns}: a region list cannot hold such a request to its regions.
     */
    static List<String> regionlessS3Arns(String value) {
        Matcher m = S3_WITHOUT_REGION.matcher(unescape(value));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /**
     * The values of the region-naming members that a JSON or shorthand value sets, at any depth,
     * with the same decoding as {@link #inArns}. Text that only looks like one ({@code "Region: x"} in
     * a description) counts too: the safe side.
     */
    static List<String> regionParameters(String value) {
        Matcher m = REGION_PARAMETER.matcher(unescape(value));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            String v = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            if (v != null) {
                found.add(v);
            }
        }
        return found;
    }

    /** A JSON string's {@code \\uXXXX} escapes decoded and other backslashes dropped, for searching it. */
    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i + 5 < value.length() && value.charAt(i + 1) == 'u'
                    && value.substring(i + 2, i + 6).chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                sb.append((char) Integer.parseInt(value.substring(i + 2, i + 6), 16));
                i += 5;
            }
            // any other backslash is dropped; the character after it is kept by the next round
        }
        return sb.toString();
    }
}
