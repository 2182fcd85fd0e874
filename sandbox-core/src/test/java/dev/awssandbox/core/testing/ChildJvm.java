package dev.awssandbox.core.testing;

import java.io.File;

/**
 * For tests that start a JVM of their own (a fixture's {@code main}, run with
 * {@code --enable-native-access=ALL-UNNAMED -cp ChildJvm.classPath()}): the child runs on the
 * class path whether or not the tests run on the module path.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * This run's classes, test classes and dependencies as one class path. On the module path
     * (sandbox-core's own tests) the library's classes are not on the class path but on the
     * module path ({@code jdk.module.path}); the test classes are on both.
     */
    public static String classPath() {
        String classPath = System.getProperty("java.class.path");
        String modulePath = System.getProperty("jdk.module.path");
        return modulePath == null || modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath;
    }
}
