package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CLI and the MCP server use the library only through its API package,
 * {@code dev.awssandbox.core}: the shaded jar drops {@code module-info}, so this is where the
 * module boundary is enforced (read from the compiled classes with {@code jdeps}).
 */
class ModuleBoundaryTest {

    private static Set<String> corePackagesUsedBy(Class<?> anyClassOfTheModule) throws Exception {
        Path classes = Path.of(anyClassOfTheModule.getProtectionDomain().getCodeSource().getLocation().toURI());
        StringWriter out = new StringWriter();
        int code = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-filter:none", classes.toString());
        assertThat(code).as(out.toString()).isZero();
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("->\\s+(dev\\.awssandbox\\.core[\\w.]*)\\s").matcher(out.toString());
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    @Test
    void theCliUsesOnlyTheApiPackage() throws Exception {
        assertThat(corePackagesUsedBy(AwsSandboxCli.class)).containsExactly("dev.awssandbox.core");
    }

    @Test
    void theMcpServerUsesOnlyTheApiPackage() throws Exception {
        assertThat(corePackagesUsedBy(dev.awssandbox.mcp.AwsMcpServer.class)).containsExactly("dev.awssandbox.core");
    }
}
