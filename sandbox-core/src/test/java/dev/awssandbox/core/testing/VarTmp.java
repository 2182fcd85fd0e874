package dev.awssandbox.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * {@code @TempDir(factory = VarTmp.class)}: a temporary directory under {@code /var/tmp}, which
 * JUnit removes after the test whatever its outcome. For tests whose directory must behave as
 * data would: the sandbox grants nothing under {@code /tmp} (the host's shared temporary
 * directory), but it treats a directory under {@code /var/tmp} like any other, and a user other
 * than this one (nobody) can be let into it.
 */
public final class VarTmp implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
        return Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-" + context.getRequiredTestClass().getSimpleName() + "-");
    }
}
