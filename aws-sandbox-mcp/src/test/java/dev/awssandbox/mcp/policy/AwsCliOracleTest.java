package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.mcp.policy.ArgParse.Nargs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Java reading of the AWS CLI's command line against the installed AWS CLI itself: names,
 * commands, argument tables and whole command lines, including the canonical argv we run.
 */
class AwsCliOracleTest {
    private static AwsCli cli;

    @BeforeAll
    static void load() {
        Optional<Path> data = AwsCli.locate(HostEnvironment.current());
        if (data.isEmpty()) {
            System.err.println("SKIPPED: no AWS CLI (botocore) installed");
        }
        assumeTrue(data.isPresent(), "no AWS CLI installed");
        cli = AwsCli.load(data.get());
    }

    @Test
    void operationAndParameterNamesAreBotocoresForEveryService() throws Exception {
        List<String> names = new ArrayList<>();
        for (String service : cli.models().serviceNames()) {
            ServiceModels.Service s = cli.models().service(service).orElseThrow();
            for (ServiceModels.Operation op : s.operations().values()) {
                names.add(op.name());
                op.members().forEach(m -> names.add(m.name()));
            }
        }
        List<String> unique = List.copyOf(new LinkedHashSet<>(names));
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            JsonNode expected = oracle.ask(Map.of("op", "xform", "names", unique));
            Map<String, String> wrong = new TreeMap<>();
            for (int i = 0; i < unique.size(); i++) {
                String ours = CliNames.of(unique.get(i));
                if (!ours.equals(expected.get(i).asString())) {
                    wrong.put(unique.get(i), ours + " != " + expected.get(i).asString());
                }
            }
            assertThat(wrong).as("of %s names", unique.size()).isEmpty();
        }
    }

    @Test
    void theCommandsAreTheAwsClis() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            Set<String> theirs = new TreeSet<>();
            oracle.ask(Map.of("op", "commands")).propertyNames().forEach(theirs::add);
            theirs.remove("history"); // refused here on purpose
            assertThat(cli.commandNames()).isEqualTo(theirs);
        }
    }

    @Test
    void paramfileExceptionsAreTheAwsClis() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            Set<String> theirs = new TreeSet<>();
            oracle.ask(Map.of("op", "paramfile_disabled")).values().forEach(v -> theirs.add(v.asString()));
            assertThat(new TreeSet<>(AwsCliTables.PARAMFILE_DISABLED)).isEqualTo(theirs);
        }
    }

    private static String nargs(JsonNode n) {
        if (n.isNull()) {
            return "ONE";
        }
        if (n.isNumber()) {
            return switch (n.intValue()) {
                case 0 -> "ZERO";
                case 1 -> "ONE";
                case 2 -> "TWO";
                default -> "N" + n.intValue();
            };
        }
        return switch (n.asString()) {
            case "?" -> "OPTIONAL";
            case "*" -> "ZERO_OR_MORE";
            case "+" -> "ONE_OR_MORE";
            default -> n.asString();
        };
    }

    /**
     * Every operation of these services: the options we know take as many words as the AWS CLI's,
     * we know no option it lacks, and the options only it has (added by its customizations, so
     * refused here) are few and listed.
     */
    @Test
    void argumentTablesMatchTheAwsClis() throws Exception {
        List<String> services = new ArrayList<>(cli.commandNames());
        services.removeAll(List.of("s3", "configure"));
        Map<String, String> arityMismatches = new TreeMap<>();
        Map<String, String> onlyOurs = new TreeMap<>();
        Map<String, String> onlyTheirs = new TreeMap<>();
        int operations = 0;
        // two oracles answer at once (building every service's tables is most of this test's time,
        // Python's, on one core); the answers are compared here in the services' order, as before.
        // The oracles are closed first: a failed comparison does not wait for the tables still asked.
        try (ExecutorService asking = Executors.newFixedThreadPool(2); AwsCliOracle first = AwsCliOracle.start();
             AwsCliOracle second = AwsCliOracle.start()) {
            BlockingQueue<AwsCliOracle> idle = new ArrayBlockingQueue<>(2, false, List.of(first, second));
            List<Future<JsonNode>> tables = new ArrayList<>();
            for (String service : services) {
                tables.add(asking.submit(() -> {
                    AwsCliOracle oracle = idle.take();
                    try {
                        return oracle.ask(Map.of("op", "table", "service", service));
                    } finally {
                        idle.put(oracle);
                    }
                }));
            }
            for (int i = 0; i < services.size(); i++) {
                String service = services.get(i);
                ServiceModels.Service model = cli.service(service).orElseThrow();
                JsonNode table = tables.get(i).get();
                Map<String, ServiceModels.Operation> ours = cli.operations(service, model);
                for (Map.Entry<String, JsonNode> e : table.properties()) {
                    String op = e.getKey();
                    if (!e.getValue().path("kind").asString().equals("operation")) {
                        continue; // a customization command: refused here unless modelled (s3, wait, configure)
                    }
                    ServiceModels.Operation o = ours.get(op);
                    if (o == null) {
                        onlyTheirs.put(service + " " + op, "(operation)");
                        continue;
                    }
                    operations++;
                    ArgParse parser = cli.grammar(service, model, o, op, true).parser();
                    Map<String, String> theirs = new TreeMap<>();
                    List<String> theirPositionals = new ArrayList<>();
                    for (JsonNode a : e.getValue().path("actions").values()) {
                        if (a.path("names").isEmpty()) {
                            theirPositionals.add(a.path("dest").asString() + ":" + nargs(a.path("nargs")));
                        }
                        for (JsonNode n : a.path("names").values()) {
                            theirs.put(n.asString(), nargs(a.path("nargs")));
                        }
                    }
                    Map<String, String> mine = new TreeMap<>();
                    parser.options().forEach((name, action) -> mine.put(name, action.nargs().name()));
                    List<String> myPositionals = parser.positionals().stream()
                            .map(p -> p.dest() + ":" + p.nargs().name()).toList();
                    assertThat(myPositionals).as("positionals of %s %s", service, op).isEqualTo(theirPositionals);
                    for (String name : mine.keySet()) {
                        if (!theirs.containsKey(name)) {
                            onlyOurs.put(service + " " + op + " " + name, mine.get(name));
                        } else if (!theirs.get(name).equals(mine.get(name))) {
                            arityMismatches.put(service + " " + op + " " + name, mine.get(name) + " vs " + theirs.get(name));
                        }
                    }
                    for (String name : theirs.keySet()) {
                        if (!mine.containsKey(name)) {
                            onlyTheirs.put(service + " " + op + " " + name, theirs.get(name));
                        }
                    }
                }
            }
        }
        System.out.println("argument tables of " + operations + " operations compared; options only the AWS CLI has"
                + " (refused here): " + onlyTheirs.size() + " " + onlyTheirs.keySet());
        assertThat(operations).isGreaterThan(10000);
        assertThat(arityMismatches).as("options taking a different number of words").isEmpty();
        assertThat(onlyOurs).as("options the AWS CLI does not have").isEmpty();
        assertThat(onlyTheirs.size()).as("customization options missing here").isLessThan(100);
    }

    @Test
    void s3CommandTablesMatchTheAwsClis() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            JsonNode table = oracle.ask(Map.of("op", "table", "service", "s3"));
            assertThat(new TreeSet<>(AwsCliTables.S3_COMMANDS.keySet())).isEqualTo(new TreeSet<>(table.propertyNames()));
            for (Map.Entry<String, JsonNode> e : table.properties()) {
                Map<String, String> theirs = new TreeMap<>();
                for (JsonNode a : e.getValue().path("actions").values()) {
                    String name = a.path("names").isEmpty() ? a.path("dest").asString() : a.path("names").get(0).asString();
                    theirs.put(name, nargs(a.path("nargs")));
                }
                Map<String, String> mine = new TreeMap<>();
                for (AwsCliTables.Arg a : AwsCliTables.S3_COMMANDS.get(e.getKey())) {
                    mine.put(a.name(), a.nargs() == Nargs.ONE ? "ONE" : a.nargs().name());
                }
                if (e.getKey().equals("sync")) {
                    // added by its sync strategies when the command runs (checked by parsing, below)
                    List.of("--delete", "--exact-timestamps", "--size-only").forEach(mine::remove);
                }
                assertThat(mine).as("aws s3 %s", e.getKey()).isEqualTo(theirs);
            }
            JsonNode sync = oracle.parse(List.of("s3", "sync", ".", "s3://b", "--delete", "--exact-timestamps", "--size-only"));
            assertThat(sync.path("params").path("delete").booleanValue()).isTrue();
            assertThat(sync.path("params").path("exact_timestamps").booleanValue()).isTrue();
            assertThat(sync.path("params").path("size_only").booleanValue()).isTrue();
        }
    }
}
