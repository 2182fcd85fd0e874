package dev.awssandbox.core.testing;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.process.PrivateTemp;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * Runs one sandboxed command and prints what became of it, then whether this JVM's private
 * temporary root still exists. JvmTagTest runs it in a pid namespace whose /proc is another's;
 * with the argument {@code subreaper}, as the JVM's child subreaper.
 */
public final class ForeignProcMain {
    private ForeignProcMain() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("subreaper")) {
            Sandbox.enableSubreaper(); // as the CLI and the MCP server do: its orphan sweep runs after every command
        }
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(host), Sandbox.Mode.REQUIRED);
        try {
            System.out.println("ran: " + sandbox.run(Command.builder(List.of("/bin/true")).timeout(Duration.ofSeconds(10)).build()).status());
        } catch (SandboxException e) {
            System.out.println("refused: " + e.getMessage());
        }
        System.out.println("root kept: " + Files.isDirectory(PrivateTemp.root()));
    }
}
