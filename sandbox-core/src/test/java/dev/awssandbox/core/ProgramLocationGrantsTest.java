package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An explicit {@code --rw} of where programs live whose code runs later outside the sandbox — the
 * running program's own installation (a venv's {@code site-packages}), a directory on {@code PATH}
 * or the installation prefix of one — is given with a warning that says so (red team, round 19,
 * F1 and INFO: {@code --rw ~/.cargo/bin}, {@code --rw ~/.pyenv/versions} and {@code --rw} of a
 * venv's {@code site-packages} were given without a word). The control: an ordinary data directory
 * gets no such warning.
 */
@ExtendWith(TestHostExtension.class)
class ProgramLocationGrantsTest {

    @Test
    void aWritableGrantOfTheProgramsInstallationOrAPathDirectoryIsGivenWithAWarning(TestHost host) throws Exception {
        Requirements.requireLandlock();
        Path venv = host.outside().resolve("venvs/aws");
        Path sitePackages = Files.createDirectories(venv.resolve("lib/python3.11/site-packages/fakeaws"));
        Path program = Files.createDirectories(venv.resolve("bin")).resolve("aws");
        Files.writeString(program, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path dir = venv; !dir.equals(host.outside()); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path toolBin = Files.createDirectories(host.outside().resolve("tool/bin"));
        Path toolLib = Files.createDirectories(host.outside().resolve("tool/lib"));
        HostEnvironment env = host.environment();
        java.util.Map<String, String> variables = new java.util.HashMap<>(env.variables());
        variables.put("PATH", toolBin + ":" + env.get("PATH").orElse("/usr/bin"));
        HostEnvironment withTool = env.withVariables(variables);

        for (Path granted : List.of(sitePackages, toolBin, toolLib)) {
            SandboxPolicy policy = SandboxPolicy.builder(withTool).addWritePath(granted.toString()).build();
            Sandbox.Preview preview = Sandbox.builder().host(withTool).policy(policy).mode(Sandbox.Mode.REQUIRED).build()
                    .preview(List.of(program.toString()));
            assertThat(preview.warnings()).as(granted.toString())
                    .anyMatch(w -> w.startsWith("--rw " + granted + ": it is or lies in ")
                            && w.contains("whose code runs later outside the sandbox"));
        }
        Path data = Files.createDirectories(host.outside().resolve("data"));
        SandboxPolicy policy = SandboxPolicy.builder(withTool).addWritePath(data.toString()).build();
        Sandbox.Preview control = Sandbox.builder().host(withTool).policy(policy).mode(Sandbox.Mode.REQUIRED).build()
                .preview(List.of(program.toString()));
        assertThat(control.warnings()).noneMatch(w -> w.contains("runs later outside the sandbox"));
    }

    /**
     * Regression (red team, round 22, F7): where language runtimes load modules from in a home
     * ({@code ~/perl5}, R's user library, {@code ~/.local/lib}) and any {@code node_modules} are
     * places whose code runs later: an explicit {@code --rw} of one is given with the warning. The
     * control: an ordinary data directory beside them gets none.
     */
    @Test
    void aWritableGrantOfAModuleDirectoryIsGivenWithAWarning(TestHost host) throws Exception {
        Requirements.requireLandlock();
        List<Path> granted = List.of(Files.createDirectories(host.home().resolve("perl5/lib/perl5")),
                Files.createDirectories(host.home().resolve("R/x86_64-pc-linux-gnu-library/4.3")),
                Files.createDirectories(host.home().resolve("node_modules/lodash")),
                Files.createDirectories(host.outside().resolve("proj/node_modules")),
                Files.createDirectories(host.home().resolve(".local/lib/python3.11/site-packages")));
        for (Path dir : granted) {
            SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addWritePath(dir.toString()).build();
            Sandbox.Preview preview = Sandbox.builder().host(host.environment()).policy(policy).mode(Sandbox.Mode.REQUIRED)
                    .build().preview(List.of("/bin/true"));
            assertThat(preview.warnings()).as(dir.toString())
                    .anyMatch(w -> w.startsWith("--rw " + dir + ": it is or lies in ")
                            && w.contains("whose code runs later outside the sandbox"));
        }
        Path data = Files.createDirectories(host.home().resolve("R/analysis"));
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addWritePath(data.toString()).build();
        Sandbox.Preview control = Sandbox.builder().host(host.environment()).policy(policy).mode(Sandbox.Mode.REQUIRED).build()
                .preview(List.of("/bin/true"));
        assertThat(control.warnings()).noneMatch(w -> w.contains("runs later outside the sandbox"));
    }
}
