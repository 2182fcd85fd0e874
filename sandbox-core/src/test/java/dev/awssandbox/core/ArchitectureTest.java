package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shape the library keeps (issue 10): the API is the package {@code dev.awssandbox.core}, it
 * names no internal type in a public signature, the internal packages never depend on it, and
 * the packages form no cycle. Read from the compiled classes with {@code jdeps} and reflection.
 */
class ArchitectureTest {
    private static final String API = "dev.awssandbox.core";

    /** Package dependencies among the library's own packages, from jdeps. */
    static Map<String, Set<String>> packageGraph(Path classes, String... classPath) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none"));
        if (classPath.length > 0) {
            args.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath)));
        }
        args.add(classes.toString());
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertThat(code).as(out.toString()).isZero();
        Pattern edge = Pattern.compile("^\\s+(dev\\.awssandbox[\\w.]*)\\s+->\\s+(dev\\.awssandbox[\\w.]*)\\s", Pattern.MULTILINE);
        Map<String, Set<String>> graph = new TreeMap<>();
        Matcher m = edge.matcher(out.toString());
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return graph;
    }

    static Path classesOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void thePackagesFormNoCycleAndNoInternalPackageDependsOnTheApi() throws Exception {
        Map<String, Set<String>> graph = packageGraph(classesOf(Sandbox.class));

        assertThat(graph).containsKey(API); // the graph was read (control: the API uses its internals)
        assertThat(graph.get(API)).contains(API + ".backend", API + ".process");
        graph.forEach((from, to) -> {
            if (!from.equals(API)) {
                assertThat(to).as(from + " depends on").doesNotContain(API);
            }
        });
        for (String start : graph.keySet()) {
            assertThat(reachable(graph, start)).as("a cycle through " + start).doesNotContain(start);
        }
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String start) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(graph.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.removeLast();
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** Every public type of the API, nested ones included, and what its public members name. */
    @Test
    void noPublicSignatureOfTheApiNamesAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> top : List.of(Sandbox.class, SandboxPolicy.class, Command.class, ExecResult.class, ExitStatus.class,
                EnforcementReport.class, SandboxException.class, HostEnvironment.class, BackendKind.class)) {
            collect(top, types);
        }
        for (Class<?> type : types) {
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
                    check(type.getName() + "." + method.getName(), method.getGenericReturnType(), leaks);
                    for (Type parameter : method.getGenericParameterTypes()) {
                        check(type.getName() + "." + method.getName(), parameter, leaks);
                    }
                }
            }
            for (var constructor : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(constructor.getModifiers())) {
                    for (Type parameter : constructor.getGenericParameterTypes()) {
                        check(type.getName() + ".<init>", parameter, leaks);
                    }
                }
            }
            for (var field : type.getDeclaredFields()) {
                if (Modifier.isPublic(field.getModifiers())) {
                    check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
                }
            }
        }
        assertThat(types).hasSizeGreaterThan(20); // nested types were found
        assertThat(leaks).isEmpty();
    }

    /**
     * The tests run on the module path, inside the module (surefire patches them in), so the
     * library runs here as a named module whose descriptor exports the API package only.
     */
    @Test
    void theTestsRunInsideTheModuleWhichExportsOnlyTheApi() {
        Module module = Sandbox.class.getModule();

        assertThat(module.getName()).isEqualTo(API);
        assertThat(ArchitectureTest.class.getModule()).isSameAs(module);
        assertThat(module.getDescriptor().exports()).extracting(java.lang.module.ModuleDescriptor.Exports::source)
                .containsExactly(API);
        assertThat(module.isExported(API + ".backend")).isFalse();
    }

    /** The public top-level types of the API: a reader takes them in at a glance. */
    @Test
    void theApiHasNineTopLevelTypes() throws Exception {
        Path api = classesOf(Sandbox.class).resolve("dev/awssandbox/core");
        List<String> publicTypes = new ArrayList<>();
        try (var files = java.nio.file.Files.list(api)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                    .toList()) {
                String name = API + "." + file.getFileName().toString().replace(".class", "");
                if (Modifier.isPublic(Class.forName(name).getModifiers())) {
                    publicTypes.add(Class.forName(name).getSimpleName());
                }
            }
        }
        assertThat(publicTypes).containsExactlyInAnyOrder("Sandbox", "SandboxPolicy", "Command", "ExecResult", "ExitStatus",
                "EnforcementReport", "SandboxException", "HostEnvironment", "BackendKind");
    }

    private static void collect(Class<?> type, List<Class<?>> into) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return;
        }
        into.add(type);
        for (Class<?> nested : type.getDeclaredClasses()) {
            collect(nested, into);
        }
    }

    private static void check(String where, Type type, List<String> leaks) {
        String name = type.getTypeName();
        Matcher m = Pattern.compile("dev\\.awssandbox\\.core\\.([a-z]+)\\.").matcher(name);
        while (m.find()) {
            leaks.add(where + " names " + name);
        }
    }
}
