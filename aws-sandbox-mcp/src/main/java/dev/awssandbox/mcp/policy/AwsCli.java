package dev.awssandbox.mcp.policy;

import dev.awssandbox.mcp.policy.ArgParse.Action;
import dev.awssandbox.mcp.policy.ArgParse.Nargs;
import dev.awssandbox.mcp.policy.AwsCliTables.Arg;
import dev.awssandbox.mcp.policy.AwsCommand.Role;
import dev.awssandbox.mcp.policy.AwsCommand.Word;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses an {@code aws …} argv the way the AWS CLI v1 does: the main parser takes the global
 * options wherever they are, the service parser the operation, the operation's parser (built from
 * botocore's model plus the CLI's own additions) the parameters; each step is CPython's argparse
 * ({@link ArgParse}), so abbreviations, {@code --opt=value} and words the CLI would take as
 * options are read as the CLI reads them. Commands the AWS CLI adds in Python that are not
 * modelled here (other than {@code s3}, waiters and {@code configure list}) are refused, as are
 * parameters a customization adds: what is not understood does not run.
 */
public final class AwsCli {
    /** Operations that get an {@code outfile} positional from a customization (S3 Select's event stream). */
    private static final Set<String> EXTRA_OUTFILE = Set.of("s3api:select-object-content");

    /** Operations the AWS CLI implements by running a local program (session-manager-plugin). */
    private static final Set<String> RUN_LOCAL_PROGRAMS = Set.of("ssm:start-session", "ecs:execute-command");

    private final ServiceModels models;
    private final List<Arg> globals;
    private volatile dev.awssandbox.core.HostEnvironment aliasHost;
    private final Map<String, String> cliToBotocore;
    private final Map<String, Map<String, ServiceModels.Operation>> operationsByCliName = new ConcurrentHashMap<>();

    AwsCli(ServiceModels models, List<Arg> globals) {
        this.models = models;
        this.globals = List.copyOf(globals);
        Map<String, String> names = new java.util.TreeMap<>();
        for (String service : models.serviceNames()) {
            if (!AwsCliTables.RENAMED_AWAY.contains(service)) {
                names.put(service, service);
            }
        }
        AwsCliTables.SERVICE_RENAMES.forEach((cli, botocore) -> {
            if (models.serviceNames().contains(botocore)) {
                names.put(cli, botocore);
            }
        });
        this.cliToBotocore = java.util.Collections.unmodifiableMap(names);
    }

    /**
     * The AWS CLI whose models are in {@code botocoreData}; its global options come from the
     * installed {@code awscli/data/cli.json} next to botocore when there is one.
     */
    public static AwsCli load(Path botocoreData) {
        ServiceModels models = new ServiceModels(botocoreData);
        Path cliJson = botocoreData.getParent().getParent().resolve("awscli").resolve("data").resolve("cli.json");
        return new AwsCli(models, readGlobals(cliJson).orElse(AwsCliTables.GLOBALS));
    }

    /**
     * The user's AWS CLI aliases ({@code ~/.aws/cli/alias}): an alias can replace a built-in
     * command or run a shell command ({@code !…}), so commands by these names are refused rather
     * than read as the built-in ones. The file is read again at every command, as the AWS CLI reads
     * it at every run.
     */
    public AwsCli withAliasesOf(dev.awssandbox.core.HostEnvironment host) {
        this.aliasHost = host;
        return this;
    }

    /**
     * Refuses {@code aws COMMAND [SUBCOMMAND]} where the alias file may replace the command or the
     * subcommand (AWS CLI v2's {@code [command COMMAND]} sections), or cannot be read.
     */
    public void refuseAliases(String command, Optional<String> subcommand) throws Refused {
        if (aliasHost == null) {
            return;
        }
        dev.awssandbox.core.HostEnvironment.AwsCliAliases aliases = aliasHost.awsCliAliases();
        String why = " this server does not run AWS CLI aliases (they may replace built-in commands or run shell commands)";
        if (aliases.unreadable().isPresent()) {
            throw new Refused("the AWS CLI alias file cannot be checked: " + aliases.unreadable().get() + ";" + why);
        }
        if (aliases.replaces(command)) {
            throw new Refused("'" + abbreviate(command) + "' is an alias in ~/.aws/cli/alias;" + why);
        }
        if (subcommand.isPresent() && aliases.replaces(command, subcommand.get())) {
            throw new Refused("'" + abbreviate(command + " " + subcommand.get()) + "' is an alias in ~/.aws/cli/alias;" + why);
        }
    }

    /**
     * Why a policy pattern ({@code service:command}) can match no command this CLI has, or empty when it can: a
     * pattern in another case ({@code iam:CreateUser}, the form of the server's labels) or naming no service or command
     * had been taken and never matched, so what it denied ran (red team, MCP round B, F5). A service given as a pattern
     * is not looked into (its commands would need every model read).
     */
    public Optional<String> whyNoCommand(String pattern) {
        int colon = pattern.indexOf(':');
        String servicePart = pattern.substring(0, colon);
        String commandPart = pattern.substring(colon + 1);
        if (!pattern.equals(pattern.toLowerCase(java.util.Locale.ROOT))) {
            String suggestion = servicePart.toLowerCase(java.util.Locale.ROOT) + ":"
                    + (commandPart.chars().anyMatch(Character::isUpperCase) ? CliNames.of(commandPart) : commandPart);
            return Optional.of("the AWS CLI's names are lower-case (" + suggestion + ")");
        }
        boolean anyService = false;
        for (String service : commandNames()) {
            if (!Patterns.matches(servicePart, service)) {
                continue;
            }
            anyService = true;
            if (servicePart.indexOf('*') >= 0 || servicePart.indexOf('?') >= 0) {
                return Optional.empty();
            }
            Set<String> commands;
            try {
                commands = commandsOf(service);
            } catch (RuntimeException e) { // a model the server cannot read: said so, not a stack trace
                return Optional.of("the AWS CLI's model of '" + service + "' cannot be read (" + e.getMessage() + ")");
            }
            if (commands.stream().anyMatch(c -> Patterns.matches(commandPart, c))) {
                return Optional.empty();
            }
        }
        return Optional.of(anyService ? "no command of 'aws " + servicePart + "' matches '" + commandPart + "'"
                : "'" + servicePart + "' is no AWS CLI service");
    }

    /** The commands of {@code aws SERVICE}: its operations (and wait), or s3's and configure's own. */
    Set<String> commandsOf(String service) {
        return switch (service) {
            case "s3" -> AwsCliTables.S3_COMMANDS.keySet();
            case "configure" -> AwsCliTables.CONFIGURE_COMMANDS.keySet();
            default -> service(service).map(model -> {
                Set<String> names = new TreeSet<>(operations(service, model).keySet());
                if (!model.waiters().isEmpty()) {
                    names.add("wait");
                }
                return names;
            }).orElse(Set.of());
        };
    }

    /**
     * The pyenv version the server follows when the first {@code aws} on PATH is a pyenv shim, to be
     * pinned for the AWS CLI stage ({@code PYENV_VERSION}); empty otherwise.
     */
    public static Optional<String> pyenvVersion(dev.awssandbox.core.HostEnvironment host) {
        return ServiceModels.pyenvVersion(host);
    }

    /** Finds the installed AWS CLI's models (see {@link ServiceModels#locate}). */
    public static Optional<Path> locate(dev.awssandbox.core.HostEnvironment host) {
        return ServiceModels.locate(host);
    }

    /** botocore's data directory these models were read from (it also holds {@code endpoints.json}). */
    public Path dataDirectory() {
        return models.dataDirectory();
    }

    ServiceModels models() {
        return models;
    }

    List<Arg> globals() {
        return globals;
    }

    /** The CLI's service commands (model services, renamed as the CLI does), plus {@code s3} and {@code configure}. */
    public Set<String> commandNames() {
        Set<String> all = new TreeSet<>(cliToBotocore.keySet());
        all.add("s3");
        all.add("configure");
        return all;
    }

    /** botocore's service behind a CLI service command. */
    Optional<ServiceModels.Service> service(String cliName) {
        return Optional.ofNullable(cliToBotocore.get(cliName)).flatMap(models::service);
    }

    private static Optional<List<Arg>> readGlobals(Path cliJson) {
        if (!Files.isRegularFile(cliJson)) {
            return Optional.empty();
        }
        try {
            JsonNode options = JsonMapper.builder().build().readTree(Files.readString(cliJson)).path("options");
            List<Arg> args = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : options.properties()) {
                JsonNode o = e.getValue();
                String action = o.path("action").asString("store");
                Nargs nargs = switch (action) {
                    case "store_true", "store_false", "version" -> Nargs.ZERO;
                    default -> Nargs.ONE;
                };
                Set<String> choices = new TreeSet<>();
                o.path("choices").values().forEach(c -> choices.add(c.asString()));
                args.add(new Arg("--" + e.getKey(), nargs, false, o.path("dest").asString(e.getKey()), choices));
            }
            return args.isEmpty() ? Optional.empty() : Optional.of(args);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ArgParse parser(List<Arg> args) {
        ArgParse p = new ArgParse();
        for (Arg a : args) {
            p.add(new Action(a.positional() ? List.of() : List.of(a.name()), a.positional() ? a.name() : a.dest(),
                    a.nargs(), a.choices(), a.append()));
        }
        return p;
    }

    /** The main parser: global options and the command positional. */
    ArgParse mainParser() {
        ArgParse p = parser(globals);
        p.add(new Action(List.of(), "command", Nargs.ONE, Set.of(), false));
        return p.exitOn("version");
    }

    /**
     * Parses {@code argv} (starting with {@code aws}).
     *
     * @throws Refused when the AWS CLI would reject it, or runs something this server does not model
     */
    public AwsCommand parse(List<String> argv) throws Refused {
        if (argv.isEmpty() || !argv.getFirst().equals("aws")) {
            throw new Refused("the command must start with 'aws'");
        }
        List<String> args = argv.subList(1, argv.size());
        if (args.contains("--")) {
            throw new Refused("'--' is not accepted in an AWS CLI command here; pass a value that starts with '-' as"
                    + " --option=-value");
        }
        ArgParse.Result main = run(mainParser(), args, "aws");
        List<Word> globalWords = globalWords(main);
        if (main.exited()) {
            return new AwsCommand(List.of(new Word("--version", List.of(), Nargs.ZERO, Role.PLAIN)), "", List.of(),
                    AwsCommand.Kind.VERSION, Optional.empty(), List.of(), List.of());
        }
        String service = main.last("command").orElseThrow().values().getFirst();
        List<String> rest = main.extras();
        refuseAliases(service, rest.stream().findFirst());
        return switch (service) {
            case "help" -> throw new Refused("for documentation use the aws_cli_help tool");
            case "s3" -> s3(globalWords, rest);
            case "configure" -> configure(globalWords, rest);
            default -> {
                if (!cliToBotocore.containsKey(service)) {
                    throw new Refused("'" + abbreviate(service) + "' is not an AWS CLI service"
                            + (service.equals("history") ? " this server runs (the CLI's command history is not available)"
                            : "; aws_cli_help with service 'aws' lists the services (e.g. s3api, ec2, iam, lambda)"));
                }
                yield operation(globalWords, service, rest);
            }
        };
    }

    private List<Word> globalWords(ArgParse.Result main) {
        List<Word> words = new ArrayList<>();
        Map<String, ArgParse.Taken> lastByDest = new LinkedHashMap<>();
        for (ArgParse.Taken t : main.taken()) {
            if (!t.action().positional()) {
                String dest = t.action().dest();
                lastByDest.remove(dest);
                lastByDest.put(dest, t);
            }
        }
        for (ArgParse.Taken t : lastByDest.values()) {
            words.add(new Word(t.optionString(), t.values(), t.action().nargs(), Role.PLAIN));
        }
        return words;
    }

    private AwsCommand s3(List<Word> globalWords, List<String> rest) throws Refused {
        if (rest.equals(List.of("help"))) {
            throw new Refused("for documentation use the aws_cli_help tool");
        }
        ArgParse top = new ArgParse().add(new Action(List.of(), "subcommand", Nargs.OPTIONAL,
                AwsCliTables.S3_COMMANDS.keySet(), false));
        ArgParse.Result r = run(top, rest, "aws s3");
        Optional<String> sub = r.last("subcommand").flatMap(t -> t.values().stream().findFirst());
        if (sub.isEmpty()) {
            throw new Refused("'aws s3' needs a command: " + String.join(", ", new TreeSet<>(AwsCliTables.S3_COMMANDS.keySet())));
        }
        List<Arg> table = AwsCliTables.S3_COMMANDS.get(sub.get());
        Map<String, Role> roles = new HashMap<>();
        for (Arg a : table) {
            roles.put(a.name(), a.positional() ? (sub.get().equals("cp") || sub.get().equals("mv") || sub.get().equals("sync")
                    ? Role.TRANSFER_PATH : Role.VALUE) : roleOfCustom("custom." + sub.get() + "." + a.name().substring(2)));
        }
        ArgParse.Result parsed = operationLevel(parser(table), r.extras(), "aws s3 " + sub.get());
        return build(globalWords, "s3", List.of(sub.get()), AwsCommand.Kind.S3, Optional.empty(), parsed, roles);
    }

    private static Role roleOfCustom(String key) {
        return AwsCliTables.PARAMFILE_DISABLED.contains(key) ? Role.AS_WRITTEN : Role.VALUE;
    }

    private AwsCommand configure(List<Word> globalWords, List<String> rest) throws Refused {
        if (rest.isEmpty() || !AwsCliTables.CONFIGURE_COMMANDS.containsKey(rest.getFirst()) || rest.size() > 1) {
            throw new Refused("of 'aws configure' only 'aws configure list' is allowed: the other configure commands"
                    + " print or change credentials and settings");
        }
        return new AwsCommand(globalWords, "configure", List.of(rest.getFirst()), AwsCommand.Kind.CONFIGURE,
                Optional.empty(), List.of(), List.of());
    }

    private AwsCommand operation(List<Word> globalWords, String service, List<String> rest) throws Refused {
        ServiceModels.Service model = service(service).orElseThrow();
        ArgParse serviceParser = new ArgParse().add(new Action(List.of(), "operation", Nargs.ONE, Set.of(), false));
        ArgParse.Result r = run(serviceParser, rest, "aws " + service);
        String opName = r.last("operation").orElseThrow().values().getFirst();
        if (opName.equals("help")) {
            throw new Refused("for documentation use the aws_cli_help tool");
        }
        if (opName.equals("wait") && !model.waiters().isEmpty()) {
            return waiter(globalWords, service, model, r.extras());
        }
        ServiceModels.Operation op = operations(service, model).get(opName);
        if (op == null) {
            // an API's name ('DescribeInstances') in the CLI's spelling, where that is an operation (WF29, F17)
            String cli = cliSpelling(opName);
            String meant = !cli.equals(opName) && operations(service, model).containsKey(cli)
                    ? "; did you mean 'aws " + service + " " + cli + "'?" : "";
            throw new Refused("'" + abbreviate(opName) + "' is not an operation of 'aws " + service + "' that this server"
                    + " runs (commands the AWS CLI adds itself, other than s3, wait and configure list, are not"
                    + " supported)" + meant + "; aws_cli_help service=" + service + " lists them");
        }
        if (RUN_LOCAL_PROGRAMS.contains(service + ":" + opName)) {
            throw new Refused("'aws " + service + " " + opName + "' runs a local program (the session manager plugin);"
                    + " it is not available here");
        }
        OperationGrammar grammar = grammar(service, model, op, opName, true);
        ArgParse.Result parsed = operationLevel(grammar.parser(), r.extras(), "aws " + service + " " + opName);
        return build(globalWords, service, List.of(opName), AwsCommand.Kind.OPERATION,
                Optional.of(ref(model, op)), parsed, grammar.roles());
    }

    private AwsCommand waiter(List<Word> globalWords, String service, ServiceModels.Service model, List<String> rest)
            throws Refused {
        Map<String, String> waiters = new LinkedHashMap<>();
        model.waiters().forEach((name, operation) -> waiters.put(CliNames.of(name), operation));
        ArgParse waitParser = new ArgParse().add(new Action(List.of(), "subcommand", Nargs.OPTIONAL, Set.of(), false));
        ArgParse.Result r = run(waitParser, rest, "aws " + service + " wait");
        Optional<String> name = r.last("subcommand").flatMap(t -> t.values().stream().findFirst());
        if (name.isEmpty() || !waiters.containsKey(name.get())) {
            throw new Refused("'aws " + service + " wait' needs a waiter, one of: "
                    + String.join(", ", new TreeSet<>(waiters.keySet())));
        }
        ServiceModels.Operation op = model.operations().get(waiters.get(name.get()));
        if (op == null) {
            throw new Refused("the waiter " + name.get() + " names an unknown operation");
        }
        OperationGrammar grammar = grammar(service, model, op, name.get(), false);
        ArgParse.Result parsed = operationLevel(grammar.parser(), r.extras(), "aws " + service + " wait " + name.get());
        return build(globalWords, service, List.of("wait", name.get()), AwsCommand.Kind.WAITER,
                Optional.of(ref(model, op)), parsed, grammar.roles());
    }

    private AwsCommand.OperationRef ref(ServiceModels.Service model, ServiceModels.Operation op) {
        return new AwsCommand.OperationRef(model.name(), model.endpointPrefix(), op.name(), op.httpMethod(),
                op.secretOutput(), op.longPoll(), model.signingName());
    }

    /** The operations of a service by CLI name. */
    Map<String, ServiceModels.Operation> operations(String service, ServiceModels.Service model) {
        return operationsByCliName.computeIfAbsent(service, s -> {
            Map<String, ServiceModels.Operation> byName = new LinkedHashMap<>();
            model.operations().values().forEach(o -> byName.put(CliNames.of(o.name()), o));
            return java.util.Collections.unmodifiableMap(byName);
        });
    }

    /** An operation's parser and what the CLI does with each of its option's values. */
    record OperationGrammar(ArgParse parser, Map<String, Role> roles) {}

    /**
     * The argument table the AWS CLI builds for an operation: one option per input member
     * (booleans as {@code --x}/{@code --no-x}, lists taking any number of words), renamed as the
     * CLI renames them, EC2's single-boolean structures as flags, plus {@code --cli-input-json},
     * {@code --generate-cli-skeleton}, the pagination options, and the {@code outfile} positional
     * of an operation that streams its output.
     */
    OperationGrammar grammar(String service, ServiceModels.Service model, ServiceModels.Operation op, String cliName,
                             boolean withOutfile) {
        Map<String, Arg> table = new LinkedHashMap<>();
        Map<String, Role> roles = new HashMap<>();
        for (ServiceModels.Member m : op.members()) {
            String name = CliNames.of(m.name());
            // the AWS CLI looks its list up by the option's name after its renames: sns subscribe's
            // --notification-endpoint (the model's endpoint) is passed as written (red team, mcp round 15, F1)
            String option = optionName(service, cliName, name).substring(2);
            Role role = m.streaming() ? Role.LOCAL_READ
                    : AwsCliTables.PARAMFILE_DISABLED.contains(model.endpointPrefix() + "." + cliName + "." + option)
                    ? Role.AS_WRITTEN : Role.VALUE;
            if (m.type() == ServiceModels.ParamType.BOOLEAN) {
                put(table, roles, service, cliName, new Arg("--" + name, Nargs.ZERO, false, name, Set.of()), Role.PLAIN);
                put(table, roles, service, cliName, new Arg("--no-" + name, Nargs.ZERO, false, name, Set.of()), Role.PLAIN);
            } else if (m.boolValue() && service.equals("ec2")) {
                // pulled up to flags after the renames ran (awscli/customizations/toplevelbool.py): not renamed
                table.put("--" + name, new Arg("--" + name, Nargs.OPTIONAL, false, name, Set.of()));
                roles.put("--" + name, role);
                table.put("--no-" + name, new Arg("--no-" + name, Nargs.ZERO, false, "no-" + name, Set.of()));
                roles.put("--no-" + name, Role.PLAIN);
            } else {
                Nargs nargs = AwsCliTables.NARGS_OVERRIDES.getOrDefault(service + ":" + cliName + ":--" + name,
                        m.type() == ServiceModels.ParamType.LIST ? Nargs.ZERO_OR_MORE : Nargs.ONE);
                put(table, roles, service, cliName, new Arg("--" + name, nargs, false, name, Set.of()), role);
            }
        }
        if (withOutfile) { // not for waiters: their names are not operation names
            for (Arg extra : AwsCliTables.EXTRA_ARGS.getOrDefault(service + ":" + cliName, List.of())) {
                table.put(extra.name(), extra);
                roles.put(extra.name(), extra.nargs() == Nargs.ZERO ? Role.PLAIN : Role.VALUE);
            }
        }
        if (op.paginated()) {
            table.put("--starting-token", Arg.value("--starting-token"));
            roles.put("--starting-token", Role.VALUE);
            if (op.pageSize()) {
                table.put("--page-size", Arg.value("--page-size"));
                roles.put("--page-size", Role.VALUE);
            }
            table.put("--max-items", Arg.value("--max-items"));
            roles.put("--max-items", Role.VALUE);
        }
        AwsCliTables.REMOVED_ARGS.forEach(key -> {
            if (key.startsWith(service + ":" + cliName + ":")) {
                table.remove(key.substring(key.lastIndexOf(':') + 1));
            }
        });
        boolean outfile = withOutfile && (op.streamingOutput() || EXTRA_OUTFILE.contains(service + ":" + cliName));
        if (!outfile && !AwsCliTables.OUTFILE_OPTION.contains(service + ":" + cliName)) {
            // the AWS CLI offers neither for an operation with an outfile
            table.put("--cli-input-json", Arg.value("--cli-input-json"));
            roles.put("--cli-input-json", Role.VALUE);
            table.put("--generate-cli-skeleton", Arg.choice("--generate-cli-skeleton", Nargs.OPTIONAL, "input", "output"));
            roles.put("--generate-cli-skeleton", Role.PLAIN);
        }
        List<Arg> args = new ArrayList<>(table.values());
        if (outfile) {
            args.add(Arg.positional("outfile", Nargs.ONE));
            roles.put("outfile", Role.LOCAL_WRITE);
        }
        args.add(Arg.positional("help", Nargs.OPTIONAL));
        return new OperationGrammar(parser(args), roles);
    }

    private static void put(Map<String, Arg> table, Map<String, Role> roles, String service, String op, Arg arg, Role role) {
        String name = optionName(service, op, arg.name().substring(2));
        Arg a = name.equals(arg.name()) ? arg : new Arg(name, arg.nargs(), arg.append(), arg.dest(), arg.choices());
        table.remove(a.name());
        table.put(a.name(), a);
        roles.put(a.name(), role);
    }

    /** {@code --NAME} as the AWS CLI renames an operation's option {@code bare} (its CLI name). */
    private static String optionName(String service, String op, String bare) {
        String renamed = AwsCliTables.ARGUMENT_RENAMES.getOrDefault(service + "." + op + "." + bare,
                AwsCliTables.ARGUMENT_RENAMES.get(service + ".*." + bare));
        return "--" + (renamed == null ? bare : renamed);
    }

    /** The options of an operation (or a waiter's) whose values botocore puts into the request's path, by option name. */
    java.util.Set<String> pathOptions(AwsCommand command) {
        if (command.operation().isEmpty()) {
            return java.util.Set.of();
        }
        ServiceModels.Operation op = service(command.service()).map(s -> s.operations().get(command.operation().get().name()))
                .orElse(null);
        if (op == null) {
            return java.util.Set.of();
        }
        java.util.Set<String> options = new java.util.HashSet<>();
        for (ServiceModels.Member m : op.members()) {
            if (m.inPath()) {
                options.add(optionName(command.service(), command.path().getLast(), CliNames.of(m.name())));
            }
        }
        return options;
    }

    /**
     * The options of an operation (or a waiter's) that name a region or hold a member that does
     * ({@link ServiceModels#REGION_MEMBERS}), by their option name; empty for other commands.
     */
    Map<String, ServiceModels.RegionMember> regionOptions(AwsCommand command) {
        if (command.operation().isEmpty()) {
            return Map.of();
        }
        ServiceModels.Operation op = service(command.service()).map(s -> s.operations().get(command.operation().get().name()))
                .orElse(null);
        if (op == null) {
            return Map.of();
        }
        Map<String, ServiceModels.RegionMember> options = new HashMap<>();
        for (ServiceModels.Member m : op.members()) {
            if (m.region() != ServiceModels.RegionMember.NONE) {
                options.put(optionName(command.service(), command.path().getLast(), CliNames.of(m.name())), m.region());
            }
        }
        // SourceRegion of the RDS, DocumentDB and Neptune copies is the AWS CLI's customization
        // (--source-region), which botocore's inject_presigned_url_rds reads from the parameters, not
        // a model member: {"SourceRegion": …} in --cli-input-json passed (red team, mcp round 10, F2)
        if (AwsCliTables.EXTRA_ARGS.getOrDefault(command.service() + ":" + command.path().getLast(), List.of()).stream()
                .anyMatch(a -> a.name().equals("--source-region"))) {
            options.putIfAbsent("--source-region", ServiceModels.RegionMember.IS);
        }
        return options;
    }

    /** Parses at the level that must consume everything; the CLI's "Unknown options" otherwise. */
    private static ArgParse.Result operationLevel(ArgParse parser, List<String> args, String what) throws Refused {
        if (args.equals(List.of("help"))) {
            throw new Refused("for documentation use the aws_cli_help tool");
        }
        ArgParse.Result r = run(parser, args, what);
        Optional<ArgParse.Taken> help = r.last("help");
        if (help.isPresent() && !help.get().values().isEmpty()) {
            if (help.get().values().getFirst().equals("help")) {
                throw new Refused("for documentation use the aws_cli_help tool");
            }
            List<String> extras = new ArrayList<>(r.extras());
            extras.addAll(help.get().values());
            throw unknown(what, extras);
        }
        if (!r.extras().isEmpty()) {
            throw unknown(what, r.extras());
        }
        return r;
    }

    private static Refused unknown(String what, List<String> extras) {
        return new Refused("unknown options for '" + what + "': " + String.join(", ", extras.stream()
                .map(AwsCli::abbreviate).toList()) + " (the AWS CLI would reject them too; options that AWS CLI"
                + " customizations add are not supported)");
    }

    private static ArgParse.Result run(ArgParse parser, List<String> args, String what) throws Refused {
        try {
            return parser.parseKnownArgs(args);
        } catch (ArgParse.ParseError e) {
            throw new Refused("'" + what + "': " + e.getMessage() + " (as the AWS CLI reads it)");
        }
    }

    private AwsCommand build(List<Word> globalWords, String service, List<String> path, AwsCommand.Kind kind,
                             Optional<AwsCommand.OperationRef> operation, ArgParse.Result parsed, Map<String, Role> roles) {
        List<Word> positionals = new ArrayList<>();
        Map<String, ArgParse.Taken> lastByDest = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>(); // dest keys and append occurrences, in order of appearance
        for (ArgParse.Taken t : parsed.taken()) {
            Action a = t.action();
            if (a.positional()) {
                if (!a.dest().equals("help") && !t.values().isEmpty()) {
                    positionals.add(new Word(a.dest(), t.values(), a.nargs(), roles.getOrDefault(a.dest(), Role.VALUE)));
                }
                continue;
            }
            String dest = a.dest();
            if (a.append()) {
                order.add(t);
            } else {
                if (lastByDest.containsKey(dest)) {
                    order.remove(dest);
                }
                lastByDest.put(dest, t);
                order.add(dest);
            }
        }
        List<Word> options = new ArrayList<>();
        for (Object o : order) {
            ArgParse.Taken t = o instanceof ArgParse.Taken taken ? taken : lastByDest.get((String) o);
            Role role = roles.getOrDefault(t.optionString(), Role.VALUE);
            // an append option's value reaches the AWS CLI's file handler as [[option, value], …], which
            // it passes on as written: `s3 rm --exclude file://p` excludes the pattern "file://p", not
            // the file's text (red team, mcp round 14, F2)
            if (t.action().append() && role == Role.VALUE) {
                role = Role.AS_WRITTEN;
            }
            options.add(new Word(t.optionString(), t.values(), t.action().nargs(), role));
        }
        return new AwsCommand(globalWords, service, path, kind, operation, positionals, options);
    }

    /**
     * An API's name as the AWS CLI spells it: {@code DescribeInstances} is {@code describe-instances}, {@code EC2}
     * {@code ec2} (a run of capitals is one word: {@code GetAPIKey} is {@code get-api-key}).
     */
    public static String cliSpelling(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
