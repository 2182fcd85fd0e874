package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Workflow review of 2026-12-04, F5: git stops when its global config exists and cannot be read, and under Landlock
 * the home is not granted, so every git command in a repository failed. A global config the plan does not grant is
 * hidden from git ({@code GIT_CONFIG_GLOBAL=/dev/null}), as bubblewrap hides it; one the caller grants is used.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class GitGlobalConfigTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Path repository;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireProgram("git");
        this.host = host;
        repository = Files.createDirectories(host.work().resolve("repo"));
        Process init = new ProcessBuilder("git", "init", "-q", repository.toString()).inheritIO().start();
        assertThat(init.waitFor(60, TimeUnit.SECONDS) && init.exitValue() == 0).isTrue();
        Files.writeString(host.home().resolve(".gitconfig"), "[user]\n\tname = Test\n[alias]\n\tst = status --short\n");
    }

    private ExecResult git(SandboxPolicy.Builder policy, String... args) {
        HostEnvironment there = host.environment().withWorkingDirectory(repository);
        String[] argv = new String[args.length + 1];
        argv[0] = "git";
        System.arraycopy(args, 0, argv, 1, args.length);
        return Sandboxes.of(there, policy.build(), backend).inside(argv);
    }

    private SandboxPolicy.Builder policy() {
        return SandboxPolicy.builder(host.environment().withWorkingDirectory(repository));
    }

    @Test
    void gitRunsWithoutTheGlobalConfigItCannotReadAndWithTheOneGranted() {
        ExecResult status = git(policy(), "status");
        assertThat(status.isSuccess()).as(status.stderr().text()).isTrue();

        ExecResult alias = git(policy().addReadPath(host.home().resolve(".gitconfig").toString()), "st");
        assertThat(alias.isSuccess()).as(alias.stderr().text()).isTrue();

        // the global config named by the caller is left as named: unreadable under Landlock, git fails as before
        if (backend == BackendKind.LANDLOCK) {
            host.set("GIT_CONFIG_GLOBAL", host.home().resolve(".gitconfig").toString());
            ExecResult named = git(policy().addEnvPassthrough("GIT_CONFIG_GLOBAL"), "status");
            assertThat(named.isSuccess()).isFalse();
            assertThat(named.stderr().text()).contains("Permission denied");
        }
    }
}
