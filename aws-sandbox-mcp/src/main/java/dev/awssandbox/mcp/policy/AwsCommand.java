package dev.awssandbox.mcp.policy;

import dev.awssandbox.mcp.policy.ArgParse.Nargs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS CLI command line as the AWS CLI reads it: global options, the service command, the
 * operation (or {@code s3}/{@code configure} subcommand, or waiter), positionals and parameters,
 * every option under its full name. {@link #argv()} is the canonical command line that runs: full
 * option names, one value per {@code --name=value}, positionals right after the command, so that
 * the AWS CLI reads it exactly as it was checked.
 *
 * @param globals     global options, in a fixed order
 * @param service     the CLI's service command ({@code s3api}, {@code s3}, {@code ec2}, {@code configure})
 * @param path        the words after the service: {@code [get-object]}, {@code [cp]}, {@code [wait, instance-running]}
 * @param kind        what kind of command it is
 * @param operation   the model operation it calls (operations and waiters)
 * @param positionals positional arguments, in order
 * @param options     parameters, each once (or each occurrence, for repeatable ones), in order of appearance
 */
public record AwsCommand(List<Word> globals, String service, List<String> path, Kind kind,
                         Optional<OperationRef> operation, List<Word> positionals, List<Word> options) {

    public AwsCommand {
        globals = List.copyOf(globals);
        path = List.copyOf(path);
        positionals = List.copyOf(positionals);
        options = List.copyOf(options);
        Objects.requireNonNull(service, "service");
    }

    /** What was parsed. */
    public enum Kind {
        /** a service operation from botocore's model */
        OPERATION,
        /** {@code aws SERVICE wait WAITER}: polls an operation */
        WAITER,
        /** an {@code aws s3} command */
        S3,
        /** {@code aws configure list} */
        CONFIGURE,
        /** {@code aws --version} */
        VERSION
    }

    /**
     * The model operation behind a command.
     *
     * @param botocoreService botocore's service name ({@code s3} for {@code s3api})
     * @param endpointPrefix  the service's endpoint prefix (the AWS CLI names parameters by it)
     * @param name            the model operation name ({@code PutObject})
     * @param httpMethod      its HTTP method
     * @param secretOutput    the output member the model marks sensitive and names a secret, or empty
     * @param longPoll        its documentation calls it a long poll or says it starts something
     * @param signingName     the name its requests are signed for ({@code rds} for neptune and docdb)
     */
    public record OperationRef(String botocoreService, String endpointPrefix, String name, String httpMethod,
                               String secretOutput, boolean longPoll, String signingName) {}

    /** What the AWS CLI does with a value. */
    public enum Role {
        /** a parameter value: the AWS CLI reads {@code file://}, {@code fileb://} and downloads {@code http(s)://} */
        VALUE,
        /**
         * a parameter value the AWS CLI passes on as written: it reads no {@code file://} or
         * {@code fileb://} and downloads no {@code http(s)://}. The parameters of
         * {@code awscli/paramfile.py}'s {@code PARAMFILE_DISABLED}, for which its handler returns at
         * once ({@code translate-text --text file://x} sends the text {@code file://x}), and append
         * options ({@code s3 --exclude}, {@code s3 mb --tags}), whose value reaches that handler as a
         * list of {@code [option, value]} pairs, never a string (red team, mcp round 14, F2)
         */
        AS_WRITTEN,
        /** a streaming blob: the value is a local file path the AWS CLI reads ({@code s3api put-object --body}) */
        LOCAL_READ,
        /** the {@code outfile} of an operation that streams its output: a local file the AWS CLI writes */
        LOCAL_WRITE,
        /** {@code s3 cp/mv/sync} paths: local unless they start with {@code s3://}; {@code -} is stdin or stdout */
        TRANSFER_PATH,
        /** a global option or a flag: never read as a file */
        PLAIN
    }

    /**
     * A global option, parameter or positional.
     *
     * @param name   {@code --name}, or a positional's name
     * @param values the words it took
     * @param nargs  how many words it takes
     * @param role   what the AWS CLI does with its values
     */
    public record Word(String name, List<String> values, Nargs nargs, Role role) {
        public Word {
            values = List.copyOf(values);
        }

        /** A positional argument ({@code paths} of {@code s3 rm}), not an option. */
        public boolean positional() {
            return !name.startsWith("--");
        }

        void appendTo(List<String> argv) {
            if (positional()) {
                argv.addAll(values);
                return;
            }
            switch (nargs) {
                case ZERO -> argv.add(name);
                case ONE -> {
                    if (name.equals("--cli-input-json") && !values.getFirst().startsWith("-")) {
                        // the AWS CLI v1 lifts the operation's required options only when the exact word
                        // --cli-input-json is in argv (OverrideRequiredArgsArgument): --cli-input-json=VALUE
                        // failed with "the following arguments are required" (mcp round 8); a value that
                        // starts with '-' keeps the '=' form, which argparse reads as a value
                        argv.add(name);
                        argv.add(values.getFirst());
                    } else {
                        argv.add(name + "=" + values.getFirst());
                    }
                }
                case OPTIONAL -> argv.add(values.isEmpty() ? name : name + "=" + values.getFirst());
                case ZERO_OR_MORE, ONE_OR_MORE, TWO -> {
                    argv.add(name);
                    argv.addAll(values);
                }
            }
        }
    }

    /** The canonical argv, starting with {@code aws}. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add("aws");
        for (Word w : globals) {
            w.appendTo(argv);
        }
        if (kind == Kind.VERSION) {
            return List.copyOf(argv);
        }
        argv.add(service);
        argv.addAll(path);
        for (Word w : positionals) {
            w.appendTo(argv);
        }
        for (Word w : options) {
            w.appendTo(argv);
        }
        return List.copyOf(argv);
    }

    /** A global option's value ({@code --region}), if given. */
    public Optional<String> global(String name) {
        return globals.stream().filter(w -> w.name().equals(name)).reduce((a, b) -> b)
                .flatMap(w -> w.values().stream().findFirst());
    }

    /** Whether a global flag ({@code --debug}) is given. */
    public boolean hasGlobal(String name) {
        return globals.stream().anyMatch(w -> w.name().equals(name));
    }

    /** A copy with this global option set (replacing any given). */
    public AwsCommand withGlobal(String name, String value) {
        List<Word> g = new ArrayList<>(globals.stream().filter(w -> !w.name().equals(name)).toList());
        g.add(new Word(name, List.of(value), Nargs.ONE, Role.PLAIN));
        return new AwsCommand(g, service, path, kind, operation, positionals, options);
    }

    /** A copy with this flag among the options (once). */
    public AwsCommand withFlag(String name) {
        if (options.stream().anyMatch(w -> w.name().equals(name))) {
            return this;
        }
        List<Word> o = new ArrayList<>(options);
        o.add(new Word(name, List.of(), Nargs.ZERO, Role.PLAIN));
        return new AwsCommand(globals, service, path, kind, operation, positionals, o);
    }

    /** {@code service:command} as policy patterns name it: {@code s3api:put-object}, {@code s3:cp}, {@code ec2:wait}. */
    public String patternName() {
        return service + ":" + (path.isEmpty() ? "" : path.getFirst());
    }

    /**
     * {@link #patternName}, and the same command under the service's other CLI name: the AWS CLI keeps {@code
     * runtime.sagemaker} as a hidden name of {@code sagemaker-runtime}, and a {@code sagemaker-runtime:*} rule had not
     * matched it (red team, MCP round B, F6).
     */
    public List<String> patternNames() {
        String command = path.isEmpty() ? "" : path.getFirst();
        return serviceNames().stream().map(name -> name + ":" + command).toList();
    }

    /**
     * The service's names: as typed; its other CLI name ({@code runtime.sagemaker}, {@code sagemaker-runtime}); and the
     * API it calls, its endpoint prefix and signing name, which other services share ({@code aws neptune} and {@code aws
     * docdb} call RDS's API: a {@code rds:*} rule had not covered them, red team, MCP round B, F8; {@code opensearch}
     * calls {@code es}'s, {@code qconnect} {@code wisdom}'s).
     */
    public List<String> serviceNames() {
        List<String> names = new ArrayList<>(List.of(service));
        operation.ifPresent(op -> java.util.stream.Stream.of(op.endpointPrefix(), op.signingName())
                .filter(api -> !names.contains(api)).distinct().forEach(names::add));
        AwsCliTables.SERVICE_RENAMES.forEach((cli, botocore) -> {
            if (!AwsCliTables.RENAMED_AWAY.contains(botocore) && (cli.equals(service) || botocore.equals(service))) {
                names.add(cli.equals(service) ? botocore : cli);
            }
        });
        return List.copyOf(names);
    }

    /** For messages: {@code s3api:PutObject}, {@code s3:cp}, {@code ec2:wait instance-running}. */
    public String displayName() {
        return switch (kind) {
            case OPERATION -> service + ":" + operation.map(OperationRef::name).orElse(String.join(" ", path));
            case VERSION -> "aws --version";
            default -> service + ":" + String.join(" ", path);
        };
    }
}
