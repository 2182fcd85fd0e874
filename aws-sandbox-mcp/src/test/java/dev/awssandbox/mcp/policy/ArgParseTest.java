package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.mcp.policy.ArgParse.Action;
import dev.awssandbox.mcp.policy.ArgParse.Nargs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The argparse port reads argvs exactly as CPython's argparse does (CPython is the oracle). */
class ArgParseTest {

    private static Action option(String name, Nargs nargs) {
        return new Action(List.of(name), name.substring(2).replace('-', '_'), nargs, Set.of(), false);
    }

    /** Options whose names prefix each other, every nargs, and two positionals. */
    private static final List<Action> SPEC = List.of(
            option("--endpoint-url", Nargs.ONE), option("--end", Nargs.ONE), option("--debug", Nargs.ZERO),
            option("--no-verify-ssl", Nargs.ZERO), option("--no-paginate", Nargs.ZERO), option("--sse", Nargs.OPTIONAL),
            option("--ids", Nargs.ZERO_OR_MORE), option("--names", Nargs.ONE_OR_MORE), option("--tags", Nargs.TWO),
            new Action(List.of(), "first", Nargs.ONE, Set.of(), false),
            new Action(List.of(), "second", Nargs.OPTIONAL, Set.of(), false));

    private static ArgParse parser() {
        ArgParse p = new ArgParse();
        SPEC.forEach(p::add);
        return p;
    }

    /** The spec for the Python side. */
    private static List<Map<String, Object>> pythonSpec() {
        List<Map<String, Object>> spec = new ArrayList<>();
        for (Action a : SPEC) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("names", a.names());
            m.put("dest", a.dest());
            m.put("nargs", switch (a.nargs()) {
                case ONE -> null;
                case ZERO -> 0;
                case OPTIONAL -> "?";
                case ZERO_OR_MORE -> "*";
                case ONE_OR_MORE -> "+";
                case TWO -> 2;
            });
            spec.add(m);
        }
        return spec;
    }

    /** Our result in the shape of Python's namespace: dest to value, plus extras. */
    private static Map<String, Object> asNamespace(ArgParse.Result r) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Action a : SPEC) {
            Object value = switch (a.nargs()) {
                case ZERO -> r.last(a.dest()).isPresent();
                default -> r.last(a.dest()).map(t -> switch (a.nargs()) {
                    case ONE -> (Object) t.values().getFirst();
                    case OPTIONAL -> t.values().isEmpty() ? null : t.values().getFirst();
                    default -> t.values();
                }).orElse(null);
            };
            values.put(a.dest(), value);
        }
        return values;
    }

    private static Object plain(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.values().forEach(v -> list.add(plain(v)));
            return list;
        }
        return node.asString();
    }

    private static void compare(AwsCliOracle oracle, List<String> argv) throws Exception {
        JsonNode expected = oracle.ask(Map.of("op", "argparse", "spec", pythonSpec(), "argv", argv));
        ArgParse.Result ours;
        try {
            ours = parser().parseKnownArgs(argv);
        } catch (ArgParse.ParseError e) {
            assertThat(expected.path("ok").booleanValue()).as("%s: we refused (%s), argparse accepted %s", argv,
                    e.getMessage(), expected).isFalse();
            return;
        }
        assertThat(expected.path("ok").booleanValue()).as("%s: argparse refused: %s, we parsed %s", argv,
                expected.path("error"), ours).isTrue();
        Map<String, Object> theirs = new LinkedHashMap<>();
        expected.path("values").properties().forEach(e -> theirs.put(e.getKey(), plain(e.getValue())));
        assertThat(asNamespace(ours)).as("values of %s", argv).isEqualTo(theirs);
        assertThat(ours.extras()).as("extras of %s", argv).isEqualTo(plain(expected.path("extras")));
    }

    @Test
    void knownCasesReadAsArgparseReadsThem() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            for (List<String> argv : List.<List<String>>of(
                    List.of("a"), List.of("a", "b", "c"), List.of("--endpoint", "x", "a"), List.of("--endpoint-u=x", "a"),
                    List.of("--en", "x", "a"), List.of("--end", "x", "a"), List.of("--end=x", "a"), List.of("--e", "x", "a"),
                    List.of("--no", "a"), List.of("--no-v", "a"), List.of("--debug=1", "a"), List.of("-x", "a"),
                    List.of("a", "--unknown", "v"), List.of("--ids", "1", "2", "a"), List.of("a", "--ids"),
                    List.of("a", "--names"), List.of("--tags", "k", "v", "a"), List.of("--tags", "k"),
                    List.of("a", "-5"), List.of("a", "--sse"), List.of("a", "--sse", "AES"), List.of("a", "--sse=AES"),
                    List.of("--endpoint-url", "--debug", "a"), List.of("a", "--endpoint-url=--debug"),
                    List.of("a", "with space", "--x y"), List.of("a", "--", "--debug"), List.of(),
                    List.of("--debug", "--debug", "a", "--end", "1", "--end", "2"), List.of("a", "b", "--ids", "c", "d"))) {
                compare(oracle, argv);
            }
        }
    }

    @Test
    void randomArgvsReadAsArgparseReadsThem() throws Exception {
        List<String> words = List.of("a", "b", "--endpoint-url", "--endpoint", "--end", "--e", "--en=v", "--debug",
                "--no", "--no-p", "--sse", "--sse=1", "--ids", "--names", "--tags", "-x", "-5", "--unknown", "--", "x y",
                "--d", "--i", "--n", "--na");
        Random random = new Random(9);
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            for (int i = 0; i < 400; i++) {
                List<String> argv = new ArrayList<>();
                int n = random.nextInt(7);
                for (int j = 0; j < n; j++) {
                    argv.add(words.get(random.nextInt(words.size())));
                }
                compare(oracle, argv);
            }
        }
    }

    @Test
    void anAmbiguousPrefixIsAnError() {
        assertThatThrownBy(() -> parser().parseKnownArgs(List.of("--e", "x", "a")))
                .isInstanceOf(ArgParse.ParseError.class).hasMessageContaining("ambiguous option: --e could match");
    }
}
