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

    /**
     * Runs {@code main}'s class with {@code args} in a network namespace of its own (root only),
     * after the shell commands {@code setUp} (e.g. {@code ip link set lo up && ip route add …});
     * returns what it printed, and fails the test unless it exited 0 within a minute.
     */
    public static String inNetworkNamespace(String setUp, Class<?> main, String... args) throws Exception {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("unshare", "--net", "sh", "-c",
                setUp + " && exec \"$0\" \"$@\"", ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath(), main.getName()));
        argv.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM in a network namespace failed: " + out);
        }
        return out;
    }
}
