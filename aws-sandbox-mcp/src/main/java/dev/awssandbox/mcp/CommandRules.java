package dev.awssandbox.mcp;

import dev.awssandbox.core.Pipeline;
import dev.awssandbox.core.PipelineSyntaxException;
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
    static Pipeline pipeline(String command, Set<String> filters, Optional<String> region) throws Refused {
        Pipeline pipeline;
        try {
            pipeline = Pipeline.parse(command);
        } catch (PipelineSyntaxException e) {
            throw new Refused(e.getMessage());
        }
        List<List<String>> stages = new ArrayList<>(pipeline.stages());
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
        }
        return Pipeline.of(stages);
    }

    private static List<String> sorted(Set<String> filters) {
        return filters.stream().sorted().toList();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
