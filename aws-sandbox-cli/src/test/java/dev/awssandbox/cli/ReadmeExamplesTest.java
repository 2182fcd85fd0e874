package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every example in README.md and docs/ is checked against the code, as zt-exec's ReadmeExamples
 * does: an example that names a removed type, method, subcommand or flag fails here, not in a
 * reader's hands.
 *
 * <ul>
 *   <li>every {@code ```java} block is compiled (in-process, javax.tools) against the project's
 *       classes; a block that declares no type is a method body, with the API package and
 *       {@code java.util}, {@code java.time}, {@code java.nio.file}, {@code java.io} imported;</li>
 *   <li>every {@code aws-sandbox} command line — in {@code ```sh}/{@code ```bash} blocks, after
 *       {@code $ } in {@code ```console} blocks, after {@code --} in a line that starts a program
 *       with it ({@code claude mcp add … -- …/aws-sandbox mcp}), and the {@code command}/{@code args}
 *       of an {@code mcpServers} JSON block — is parsed by the CLI's real picocli model: an unknown
 *       subcommand or option fails; a {@code pipe} in a sh block must also be valid pipeline syntax;</li>
 *   <li>the synopsis lines ({@code aws-sandbox SUB [--opt …]} in plain blocks) name only options
 *       that SUB has;</li>
 *   <li>the cheap and harmless ones run in-process: {@code --help}, {@code --version}, {@code doctor};</li>
 *   <li>every other JSON block is an MCP policy file, which {@code mcp --print-policy} must accept;</li>
 *   <li>every relative link points at a file that exists and, with {@code #anchor}, at a heading of it.</li>
 * </ul>
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("^```\\s*([\\w-]*)\\s*$");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)", Pattern.MULTILINE);
    private static final List<String> SNIPPET_IMPORTS = List.of("dev.awssandbox.core.*", "java.util.*",
            "java.util.concurrent.*", "java.time.*", "java.nio.file.*", "java.nio.charset.*", "java.io.*");

    @RegisterExtension
    final CliHarness cli = new CliHarness();

    /** A fenced block of a Markdown file: its language, text, and the line its text starts on. */
    record Block(Path file, int line, String language, String text) {
        String where(int lineInBlock) {
            return ROOT.relativize(file) + ":" + (line + lineInBlock);
        }
    }

    /** One {@code aws-sandbox} command line found in the docs, split into words as a shell would. */
    record CommandLineExample(String where, String source, Map<String, String> environment, List<String> args, boolean mustWork) {}

    // ---------------------------------------------------------------- the tests

    @Test
    void everyJavaExampleCompiles(@TempDir Path out) throws Exception {
        List<Block> blocks = blocks().stream().filter(b -> b.language().equals("java")).toList();
        assertThat(blocks.stream().filter(b -> b.file().endsWith("README.md"))).as("Java examples in the README").isNotEmpty();

        Map<String, Block> byClass = new LinkedHashMap<>();
        Map<String, Integer> headerLines = new LinkedHashMap<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Block block : blocks) {
            Matcher declared = TYPE_DECLARATION.matcher(block.text());
            String name;
            String source;
            int header;
            if (declared.find()) {
                name = declared.group(1);
                String imports = block.text().startsWith("package ") ? "" : importLines();
                source = imports + block.text();
                header = imports.isEmpty() ? 0 : (int) imports.lines().count();
            } else {
                name = "Example" + (byClass.size() + 1);
                String prefix = importLines() + "class " + name + " {\n    void example() throws Exception {\n";
                source = prefix + block.text() + "\n    }\n}\n";
                header = (int) prefix.lines().count();
            }
            byClass.put(name, block);
            headerLines.put(name, header);
            sources.add(new SimpleJavaFileObject(java.net.URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(log, files, diagnostics,
                    List.of("-classpath", classPath(), "-d", out.toString(), "-proc:none", "-implicit:none", "-Xlint:none"),
                    null, sources).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                String name = d.getSource() == null ? "?" : Path.of(d.getSource().toUri().getPath()).getFileName().toString()
                        .replace(".java", "");
                Block block = byClass.get(name);
                String where = block == null ? name
                        : block.where((int) d.getLineNumber() - 1 - headerLines.get(name));
                errors.add(where + ": " + d.getMessage(Locale.ROOT));
            }
            assertThat(errors).as("Java examples that do not compile\n" + log).isEmpty();
            assertThat(ok).as(log.toString()).isTrue();
        }
    }

    @Test
    void everyCommandLineExampleIsAValidAwsSandboxCommand() {
        List<CommandLineExample> examples = commandLineExamples();
        assertThat(examples.stream().filter(e -> e.where().startsWith("README.md"))).as("command lines in the README").isNotEmpty();
        List<String> errors = new ArrayList<>();
        for (CommandLineExample example : examples) {
            CommandLine model = model();
            try {
                CommandLine.ParseResult parsed = model.parseArgs(example.args().toArray(String[]::new));
                if (!parsed.hasSubcommand() && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
                    errors.add(example.where() + ": `" + example.source() + "` names no subcommand");
                    continue;
                }
                CommandLine.ParseResult sub = parsed.subcommand();
                if (example.mustWork() && sub != null && sub.commandSpec().name().equals("pipe") && !sub.matchedPositionals().isEmpty()) {
                    try {
                        dev.awssandbox.core.Command.parse(sub.matchedPositionals().getFirst().getValue());
                    } catch (dev.awssandbox.core.Command.SyntaxException e) {
                        errors.add(example.where() + ": `" + example.source() + "`: " + e.getMessage());
                    }
                }
            } catch (CommandLine.ParameterException e) {
                errors.add(example.where() + ": `" + example.source() + "`: " + e.getMessage());
            }
        }
        assertThat(errors).as("command lines in README.md and docs/ that aws-sandbox does not accept").isEmpty();
    }

    @Test
    void theSynopsisNamesOnlyOptionsThatExist() {
        List<String> errors = new ArrayList<>();
        int lines = 0;
        for (Block block : blocks()) {
            if (!block.language().isEmpty() && !block.language().equals("text")) {
                continue;
            }
            List<String> text = block.text().lines().toList();
            for (int i = 0; i < text.size(); i++) {
                List<String> words = List.of(text.get(i).trim().split("\\s+"));
                if (words.isEmpty() || !isAwsSandbox(words.getFirst())) {
                    continue;
                }
                lines++;
                CommandLine root = model();
                CommandLine command = words.size() > 1 && root.getSubcommands().containsKey(words.get(1))
                        ? root.getSubcommands().get(words.get(1)) : root;
                // the synopsis continues on indented lines
                StringBuilder synopsis = new StringBuilder(text.get(i));
                while (i + 1 < text.size() && text.get(i + 1).startsWith(" ")) {
                    synopsis.append(' ').append(text.get(++i));
                }
                String withoutComment = synopsis.toString().replaceAll("\\s#.*$", "");
                Matcher option = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(withoutComment);
                while (option.find()) {
                    String name = option.group();
                    if (!name.equals("--") && command.getCommandSpec().findOption(name) == null) {
                        errors.add(block.where(i) + ": " + name + " is not an option of "
                                + command.getCommandSpec().qualifiedName());
                    }
                }
            }
        }
        assertThat(lines).as("synopsis lines in docs/cli.md").isPositive();
        assertThat(errors).isEmpty();
    }

    @Test
    void theCheapExamplesRun() {
        Set<String> done = new LinkedHashSet<>();
        for (CommandLineExample example : commandLineExamples()) {
            List<String> args = example.args();
            CommandLine.ParseResult parsed;
            try {
                parsed = model().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                continue; // reported by everyCommandLineExampleIsAValidAwsSandboxCommand
            }
            CommandLine.ParseResult sub = parsed.hasSubcommand() ? parsed.subcommand() : parsed;
            boolean help = parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()
                    || sub.isUsageHelpRequested() || sub.isVersionHelpRequested() || sub.commandSpec().name().equals("help");
            boolean doctor = args.equals(List.of("doctor"));
            if ((!help && !doctor) || !done.add(example.environment() + " " + args)) {
                continue;
            }
            example.environment().forEach(cli.host()::set);
            CliHarness.Run run = cli.run(args.toArray(String[]::new));
            if (help) {
                assertThat(run.code()).as(example.where() + ": " + example.source() + "\n" + run.err()).isZero();
                assertThat(run.out()).as(example.where()).contains("aws-sandbox");
            } else {
                // 0: every check passed, 1: one failed here (both are doctor's documented outcomes)
                assertThat(run.code()).as(example.where() + ": " + example.source() + "\n" + run.out() + run.err()).isIn(0, 1);
                assertThat(run.out()).as(example.where()).contains("selected:");
            }
        }
        assertThat(done).as("examples run").anyMatch(a -> a.contains("doctor")).anyMatch(a -> a.contains("--help"));
    }

    /** A JSON block that is not a client's mcpServers entry is an MCP policy file: the server must accept it. */
    @Test
    void everyPolicyFileExampleIsAccepted(@TempDir Path dir) throws IOException {
        List<Block> policies = blocks().stream()
                .filter(b -> b.language().equals("json") && !b.text().contains("\"mcpServers\"")).toList();
        assertThat(policies).as("MCP policy file examples").isNotEmpty();
        for (Block block : policies) {
            Path file = Files.writeString(dir.resolve("policy-" + block.line() + ".json"), block.text());
            cli.host().set("AWS_MCP_POLICY_FILE", file.toString());
            CliHarness.Run run = cli.run("mcp", "--print-policy");
            assertThat(run.code()).as(block.where(0) + ": the policy file example\n" + run.out() + run.err()).isZero();
            assertThat(run.out()).as(block.where(0)).contains(file.toString());
        }
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndHeading() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> errors = new ArrayList<>();
        for (Path file : markdownFiles()) {
            String text = withoutFencedBlocks(Files.readString(file));
            Matcher m = link.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String pathPart = hash < 0 ? target : target.substring(0, hash);
                Path resolved = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
                if (!Files.exists(resolved)) {
                    errors.add(ROOT.relativize(file) + ": " + target + ": no such file");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    errors.add(ROOT.relativize(file) + ": " + target + ": no such heading");
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    // ---------------------------------------------------------------- reading the docs

    private static List<Path> markdownFiles() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        for (Path file : markdownFiles()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < lines.size(); i++) {
                Matcher open = FENCE.matcher(lines.get(i));
                if (!open.matches()) {
                    continue;
                }
                int start = i + 1;
                StringBuilder text = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(file, start + 1, open.group(1).toLowerCase(Locale.ROOT), text.toString()));
            }
        }
        return blocks;
    }

    private static String withoutFencedBlocks(String markdown) {
        return markdown.replaceAll("(?ms)^```.*?^```", "");
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        if (Files.isDirectory(file)) {
            return anchors;
        }
        for (String line : withoutFencedBlocks(Files.readString(file)).lines().toList()) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    static List<CommandLineExample> commandLineExamples() {
        List<CommandLineExample> examples = new ArrayList<>();
        Pattern mcpArgs = Pattern.compile("\"command\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"args\"\\s*:\\s*\\[([^\\]]*)\\]");
        for (Block block : blocks()) {
            List<String> lines = block.text().lines().toList();
            switch (block.language()) {
                case "sh", "bash", "shell", "console" -> {
                    boolean console = block.language().equals("console");
                    for (int i = 0; i < lines.size(); i++) {
                        int first = i;
                        String line = lines.get(i);
                        if (console) {
                            if (!line.startsWith("$ ")) {
                                continue;
                            }
                            line = line.substring(2);
                        }
                        while (line.endsWith("\\") && i + 1 < lines.size()) {
                            line = line.substring(0, line.length() - 1) + " " + lines.get(++i);
                        }
                        invocation(block.where(first), line, !console).ifPresent(examples::add);
                    }
                }
                case "json" -> {
                    Matcher m = mcpArgs.matcher(block.text());
                    while (m.find()) {
                        if (isAwsSandbox(m.group(1))) {
                            List<String> args = new ArrayList<>();
                            Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(m.group(2));
                            while (arg.find()) {
                                args.add(arg.group(1));
                            }
                            int line = (int) block.text().substring(0, m.start()).lines().count();
                            examples.add(new CommandLineExample(block.where(line), m.group(), Map.of(), args, true));
                        }
                    }
                }
                default -> { }
            }
        }
        return examples;
    }

    /** The aws-sandbox invocation in a shell line: at its start (after VAR=value words), or after a {@code --}. */
    private static Optional<CommandLineExample> invocation(String where, String line, boolean mustWork) {
        List<String> words = shellWords(line);
        Map<String, String> environment = new LinkedHashMap<>();
        int i = 0;
        while (i < words.size() && words.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            String w = words.get(i++);
            environment.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        if (i < words.size() && isAwsSandbox(words.get(i))) {
            return Optional.of(new CommandLineExample(where, line.strip(), environment, words.subList(i + 1, words.size()), mustWork));
        }
        int dashes = words.indexOf("--");
        if (dashes >= 0 && dashes + 1 < words.size() && isAwsSandbox(words.get(dashes + 1))) {
            return Optional.of(new CommandLineExample(where, line.strip(), Map.of(), words.subList(dashes + 2, words.size()), mustWork));
        }
        return Optional.empty();
    }

    private static boolean isAwsSandbox(String word) {
        return word.equals("aws-sandbox") || word.endsWith("/aws-sandbox");
    }

    /** Words as a POSIX shell splits them: quotes, backslashes, and a {@code #} comment at a word's start. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, end < 0 ? line.length() : end);
                i = end < 0 ? line.length() : end;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
                    char d = line.charAt(i);
                    if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        d = line.charAt(++i);
                    }
                    word.append(d);
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    // ---------------------------------------------------------------- the project

    /** The CLI's command model, configured as {@link AwsSandboxCli#execute} configures it. */
    private CommandLine model() {
        CliContext context = new CliContext(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                HostEnvironment.current(), UnaryOperator.<Sandbox.Builder>identity());
        return AwsSandboxCli.model(context);
    }

    /** The test class path, and the places the API, the CLI and picocli were loaded from (the surefire booter may hide them). */
    private static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        for (Class<?> type : List.of(Sandbox.class, AwsSandboxCli.class, CommandLine.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String importLines() {
        StringBuilder sb = new StringBuilder();
        SNIPPET_IMPORTS.forEach(i -> sb.append("import ").append(i).append(";\n"));
        return sb.toString();
    }
}
