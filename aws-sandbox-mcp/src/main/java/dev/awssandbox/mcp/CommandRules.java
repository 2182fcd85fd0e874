package dev.awssandbox.mcp;

import dev.awssandbox.core.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the tools accept, with a message a model can act on when they refuse. The reference
 * server ran whatever it was given (CVE-2026-5059: {@code aws_cli_help(service="s3 | sh -c id")}
 * ran {@code sh}); here the first stage must be the AWS CLI, help takes identifiers only, and
 * later stages come from an allow-list of text filters.
 */
final class CommandRules {
    /** An AWS CLI service or command name: lower case, digits, dashes. */
    static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private CommandRules() {}

    /** A refusal with the message for the model. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** argv of {@code aws SERVICE [COMMAND] help}. */
    static List<String> helpCommand(String service, Optional<String> command) throws Refused {
        requireIdentifier("service", service);
        List<String> argv = new ArrayList<>(List.of("aws", service));
        if (command.isPresent()) {
            requireIdentifier("command", command.get());
            argv.add(command.get());
        }
        argv.add("help");
        return argv;
    }

    private static void requireIdentifier(String what, String value) throws Refused {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new Refused("invalid " + what + " '" + abbreviate(value) + "': an AWS CLI " + what
                    + " name is lower-case letters, digits and dashes (e.g. s3, ec2, describe-instances)");
        }
    }

    /**
     * Parses and checks a pipeline: the first stage is {@code aws …}, every later one an allowed
     * filter; {@code --region} is added to the AWS CLI stage when a region is configured and the
     * command names none.
     */
    static Command pipeline(String command, Set<String> filters, Optional<String> region) throws Refused {
        Command pipeline;
        try {
            pipeline = Command.parse(command);
        } catch (Command.SyntaxException e) {
            throw new Refused(e.getMessage());
        }
        List<List<String>> stages = new ArrayList<>(pipeline.argvs());
        List<String> aws = new ArrayList<>(stages.getFirst());
        if (!aws.getFirst().equals("aws")) {
            throw new Refused("the command must start with the AWS CLI ('aws ...'), not '" + abbreviate(aws.getFirst())
                    + "'; other programs may only follow a '|': " + String.join(", ", sorted(filters)));
        }
        if (aws.size() < 2) {
            throw new Refused("'aws' needs a service and a command, e.g. 'aws s3 ls'");
        }
        if (region.isPresent() && aws.stream().noneMatch(a -> a.equals("--region") || a.startsWith("--region="))) {
            aws.add("--region");
            aws.add(region.get());
        }
        stages.set(0, aws);
        for (int i = 1; i < stages.size(); i++) {
            String program = stages.get(i).getFirst();
            if (!filters.contains(program)) {
                throw new Refused("'" + abbreviate(program) + "' (stage " + (i + 1) + ") is not an allowed filter;"
                        + " after '|' use one of: " + String.join(", ", sorted(filters)));
            }
            for (String arg : stages.get(i).subList(1, stages.get(i).size())) {
                for (String denied : DENIED_FILTER_OPTIONS.getOrDefault(program, List.of())) {
                    if (arg.equals(denied) || (denied.startsWith("--") && arg.startsWith(denied + "="))
                            || (!denied.startsWith("--") && arg.startsWith(denied) && arg.length() > denied.length())) {
                        throw new Refused("option " + denied + " of " + program + " is not allowed: filters read stdin"
                                + " and write stdout only");
                    }
                }
            }
        }
        return Command.pipeline(stages);
    }

    /**
     * Filter options that run programs, or read or write files. Filters run with no writable path
     * and no credentials anyway; these are refused so that a filter stays a filter (sort
     * --compress-program=sh ran sh: found in review).
     */
    static final java.util.Map<String, List<String>> DENIED_FILTER_OPTIONS = java.util.Map.of(
            "sort", List.of("--compress-program", "-o", "--output", "-T", "--temporary-directory", "--files0-from",
                    "--random-source"),
            "jq", List.of("--rawfile", "--slurpfile", "-f", "--from-file", "-L", "--library-path"),
            "grep", List.of("-f", "--file"),
            "wc", List.of("--files0-from"));

    /** Options of the AWS CLI that leak secrets or send them elsewhere. */
    static void checkAwsArguments(List<String> aws, dev.awssandbox.core.HostEnvironment host) throws Refused {
        for (int i = 1; i < aws.size(); i++) {
            String arg = aws.get(i);
            if (arg.equals("--debug")) {
                throw new Refused("--debug is not allowed: its log contains request signatures and session tokens");
            }
            if (arg.equals("--endpoint-url") || arg.startsWith("--endpoint-url=")) {
                String url = arg.startsWith("--endpoint-url=") ? arg.substring("--endpoint-url=".length())
                        : i + 1 < aws.size() ? aws.get(i + 1) : "";
                if (!allowedEndpoint(url)) {
                    throw new Refused("--endpoint-url " + abbreviate(url) + " is not allowed: signed requests carry the"
                            + " access key id and session token; use an AWS endpoint or one on 127.0.0.1/localhost");
                }
            }
            if (touchesCredentials(arg, host)) {
                throw new Refused("argument " + (i + 1) + " names an AWS credential or config file; these stay in the sandbox");
            }
        }
        if (aws.size() > 1 && aws.get(1).equals("configure")
                && !(aws.size() > 2 && List.of("list", "list-profiles").contains(aws.get(2)))) {
            throw new Refused("only 'aws configure list' and 'aws configure list-profiles' are allowed: the other"
                    + " configure commands print or change credentials");
        }
    }

    private static boolean allowedEndpoint(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url);
            String host = uri.getHost();
            if (host == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT))) {
                return false;
            }
            host = host.toLowerCase(java.util.Locale.ROOT);
            return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                    || host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn") || host.endsWith(".api.aws");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether an argument (a path, or a file:// or fileb:// URL) points into ~/.aws or at a configured credential file. */
    static boolean touchesCredentials(String arg, dev.awssandbox.core.HostEnvironment host) {
        String value = arg.contains("=") && arg.startsWith("--") ? arg.substring(arg.indexOf('=') + 1) : arg;
        for (String prefix : List.of("fileb://", "file://")) {
            if (value.startsWith(prefix)) {
                value = value.substring(prefix.length());
            }
        }
        if (!value.contains("/") && !value.startsWith("~")) {
            return false;
        }
        java.nio.file.Path path = host.expand(value);
        java.nio.file.Path real = path;
        try {
            real = path.toRealPath();
        } catch (java.io.IOException e) {
            // not there: check the spelling
        }
        java.util.List<java.nio.file.Path> secret = new java.util.ArrayList<>();
        secret.add(dev.awssandbox.core.SandboxPolicy.Credentials.awsDirectory(host));
        for (String variable : List.of("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE")) {
            host.get(variable).map(host::expand).ifPresent(secret::add);
        }
        for (java.nio.file.Path s : secret) {
            if (path.startsWith(s) || real.startsWith(s)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> sorted(Set<String> filters) {
        return filters.stream().sorted().toList();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
