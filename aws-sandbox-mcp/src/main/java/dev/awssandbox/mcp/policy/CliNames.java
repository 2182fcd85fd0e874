package dev.awssandbox.mcp.policy;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The AWS CLI's names for model names: botocore's {@code xform_name(name, '-')}, which turns
 * {@code DescribeInstances} into {@code describe-instances} and {@code VPCIds} into
 * {@code vpc-ids}. The three regular expressions are botocore's; a handful of names botocore
 * spells by hand are listed in {@code irregular-cli-names.txt} (the tests compare every operation and parameter name of the
 * installed botocore with botocore's own function).
 */
final class CliNames {
    private static final Pattern FIRST_CAP = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern END_CAP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern SPECIAL_PLURAL = Pattern.compile("[A-Z]{2,}s$");

    /** botocore's hand-written transformations (its {@code _xform_cache} seed). */
    private static final Map<String, String> IRREGULAR = AwsCliTables.twoColumns("irregular-cli-names.txt");

    private CliNames() {}

    /** {@code xform_name(name, '-')}. */
    static String of(String name) {
        if (name.indexOf('-') >= 0) {
            return name;
        }
        String irregular = IRREGULAR.get(name);
        if (irregular != null) {
            return irregular;
        }
        java.util.regex.Matcher special = SPECIAL_PLURAL.matcher(name);
        if (special.find()) {
            String matched = special.group();
            name = name.substring(0, name.length() - matched.length()) + "-" + matched.toLowerCase(Locale.ROOT);
        }
        String s1 = FIRST_CAP.matcher(name).replaceAll("$1-$2");
        return END_CAP.matcher(s1).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
    }
}
