package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link GnuEnv} and the kernel's {@code #!} split, with the real thing as the oracle: every case
 * is also run through the kernel and {@code /usr/bin/env} itself, and what they ran must be what
 * the planner follows — or the planner must stop.
 */
@ExtendWith(TestHostExtension.class)
class GnuEnvTest {
    private TestHost host;
    private Path dirA;
    private Path dirB;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        assumeTrue(isGnuEnv(), "/usr/bin/env is not GNU coreutils' env");
        this.host = host;
        dirA = Files.createDirectories(host.outside().resolve("a"));
        dirB = Files.createDirectories(host.outside().resolve("b"));
        // each fake program prints the path it was executed as ($0 is the path execvp used)
        for (Path dir : List.of(dirA, dirB)) {
            ExecutableChainTest.executable(dir.resolve("prog"), "#!/bin/sh\necho \"RAN:$0\"\n");
        }
        ExecutableChainTest.executable(dirB.resolve("only-b"), "#!/bin/sh\necho \"RAN:$0\"\n");
    }

    private static boolean isGnuEnv() {
        try {
            Process p = new ProcessBuilder("/usr/bin/env", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 && out.contains("GNU coreutils");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String searchPath() {
        return dirA + ":" + dirB;
    }

    /** What actually ran when a script with this #! argument was executed: the program's path, or empty. */
    private Optional<Path> oracle(String shebangArgument) throws Exception {
        Path script = ExecutableChainTest.executable(
                Files.createTempFile(host.home(), "script-", ""), "#!/usr/bin/env " + shebangArgument + "\n");
        ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", searchPath());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("RAN:")).map(l -> Path.of(l.substring(4))).findFirst();
    }

    /** What the planner follows for the same script: the program after env in its chain, or empty. */
    private Optional<Path> planned(String shebangArgument) throws Exception {
        Path script = ExecutableChainTest.executable(
                Files.createTempFile(host.home(), "planned-", ""), "#!/usr/bin/env " + shebangArgument + "\n");
        ExecutableChain.Resolution r = ExecutableChain.resolve(script, host.home(), Optional.of(searchPath()),
                List.of(host.work()));
        int env = r.chain().indexOf(Path.of("/usr/bin/env"));
        return env >= 0 && env + 1 < r.chain().size() ? Optional.of(r.chain().get(env + 1)) : Optional.empty();
    }

    /** Cases the planner follows: it must follow exactly what env runs. */
    @Test
    void theProgramIsTheOneEnvRuns() throws Exception {
        List<String> cases = List.of(
                "prog",
                "-S prog",
                "-Sprog",
                "-S prog --flag value",
                "-S -u " + dirA.resolve("prog") + " prog", // the review's attack: -u takes a NAME
                "-S -u" + dirA.resolve("prog") + " only-b",
                "-S --unset=PATH2 prog",
                "-S --unset PATH2 prog",
                "-S --un=X prog", // an unambiguous prefix of --unset
                "-S -v -u X prog",
                "-vS prog",
                "-S -iv PATH=" + dirB + " prog",
                "-S -i PATH=" + dirB + " prog",
                "-S - PATH=" + dirB + " prog",
                "-S PATH=" + dirB + " prog",
                "-S A=1 B=2 prog",
                "-S -- prog",
                "-S -- PATH=" + dirB + " prog",
                "-S -C / prog",
                "-S --chdir=/ prog",
                "-S --split-string=prog",
                "--split-string=prog",
                "--sp=prog",
                "-S -S prog",
                "-S 'prog'",
                "-S \"pr\"'og' 'a b'",
                "-S prog\\_arg",
                "-S prog #comment",
                "-S prog \\c ignored",
                "-S --debug prog",
                "-S " + dirB.resolve("prog"),
                "-S -u PATH " + dirA.resolve("prog"),
                "-S --ignore-environment " + dirB.resolve("only-b"));
        for (String c : cases) {
            Optional<Path> ran = oracle(c);
            assertThat(ran).as("env must run something for: %s", c).isPresent();
            assertThat(planned(c)).as("#!/usr/bin/env %s", c).isEqualTo(ran);
        }
    }

    /** Cases the planner refuses: env fails or runs nothing of ours, or runs a program the line does not name. */
    @Test
    void whatIsNotUnderstoodDerivesNothing() throws Exception {
        List<String> envFailsOrRunsNothingOfOurs = List.of(
                "-i prog",             // one argument "-i prog": env rejects the space "option"
                "prog -x",             // env looks for a program named "prog -x"
                "--split-string prog", // a long option named "split-string prog"
                "--debug -S prog",
                "-S -0 prog",
                "-S 'prog",            // no terminating quote
                "-S prog\\q",          // invalid escape
                "-S \"prog\\c\"",
                "-S -u",               // -u takes the script's path; no program follows (env prints the environment)
                "-S --i prog",         // ambiguous: --ignore-environment, --ignore-signal
                "-S -u A=B prog",      // unsetenv refuses a name with '='
                "-S --default-signal prog",
                "-S ./prog",
                "-S PATH=a prog");     // a relative search directory: the command's working directory
        for (String c : envFailsOrRunsNothingOfOurs) {
            assertThat(planned(c)).as("#!/usr/bin/env %s", c).isEmpty();
        }
        for (String c : List.of("-i prog", "prog -x", "--split-string prog", "--debug -S prog", "-S -0 prog", "-S 'prog",
                "-S prog\\q", "-S \"prog\\c\"", "-S -u", "-S --i prog", "-S -u A=B prog")) {
            assertThat(oracle(c)).as("env runs nothing for: %s", c).isEmpty();
        }
    }

    /** Conservative on purpose: env expands ${VAR} in -S; the planner does not model it and stops. */
    @Test
    void variableExpansionIsNotFollowedAlthoughEnvWouldRunIt() throws Exception {
        assertThat(planned("-S prog ${X}")).isEmpty();
        assertThat(oracle("-S prog ${X}")).contains(dirA.resolve("prog"));
    }

    /** The kernel passes everything after the interpreter as one argument, trimmed; tabs count as blanks. */
    @Test
    void shebangLinesSplitAsTheKernelSplitsThem() throws Exception {
        Path echo = ExecutableChainTest.executable(host.outside().resolve("args"),
                "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>' \"$a\"; done\n");
        List<String> lines = List.of(
                "#!" + echo + "\n",
                "#!" + echo + " one\n",
                "#! " + echo + "  one two  \n",
                "#!\t" + echo + "\tone\ttwo\t\n",
                "#!" + echo + " 'quoted arg'\n",
                "#!" + echo + "   \n");
        for (String line : lines) {
            Path script = Files.createTempFile(host.home(), "kernel-", "");
            Files.writeString(script, line);
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            List<String> kernelArgs = new ArrayList<>(Arrays.asList(out.replaceAll("^<|>$", "").split("><", -1)));
            kernelArgs.removeLast(); // the script's own path

            ExecutableChain.Shebang parsed = ExecutableChain.shebang(script).orElseThrow();
            assertThat(parsed.interpreter()).isEqualTo(echo);
            assertThat(parsed.argument().map(List::of).orElse(List.of())).as("%s", line).isEqualTo(kernelArgs);
        }
    }

    /** env's -S splitting against env's own: printf shows each word env made. */
    @Test
    void splitStringMatchesEnv() throws Exception {
        List<String> strings = List.of("a b", "  a   b  ", "'a b' c", "\"a b\"c", "a\\_b", "\"a\\_b\"", "a\\tb", "'a\\tb'",
                "'a\\\\b'", "'a\\'b'", "\"a\\\"b\"", "a \\#b #c", "a#b", "''", "a '' b", "\"\"", "a\\$b", "'$x'",
                "a \\c b", "\"a'b\"", "'a\"b'", "x\\\\y", "tab\there", "\\nnew");
        for (String s : strings) {
            Process p = new ProcessBuilder("/usr/bin/env", "-S/usr/bin/printf '<%s>\\0' START " + s)
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).as("env -S for %s", s).isZero();
            List<String> words = new ArrayList<>();
            for (String part : new String(out, StandardCharsets.UTF_8).split("\0")) {
                words.add(part.substring(1, part.length() - 1));
            }
            assertThat(words.removeFirst()).isEqualTo("START");
            assertThat(GnuEnv.split(s)).as("split of %s", s).contains(words);
        }
        for (String invalid : List.of("'a", "\"a", "a\\q", "a\\", "\"a\\cb\"", "${X}", "a$")) {
            Process p = new ProcessBuilder("/usr/bin/env", "-S/usr/bin/printf x " + invalid).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!invalid.startsWith("$")) {
                assertThat(p.waitFor()).as("env refuses %s", invalid).isEqualTo(125);
            }
            assertThat(GnuEnv.split(invalid)).as("split of %s", invalid).isEmpty();
        }
    }
}
