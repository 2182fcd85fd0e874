package dev.awssandbox.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a fresh {@link TestHost} (or {@link HelloServer}) as a parameter of its
 * {@code @BeforeEach} methods or of the test method itself, the same one to each, and closes it
 * when the test ends, whatever its outcome: the fixture is kept in the test's extension store,
 * which JUnit closes after the {@code @AfterEach} methods, so no bait file or listening socket
 * outlives its test.
 *
 * <pre>{@code
 * @ExtendWith(TestHostExtension.class)
 * class FilesystemIsolationTest {
 *     private TestHost host;
 *
 *     @BeforeEach
 *     void setUp(TestHost host) {
 *         this.host = host;
 *     }
 * }</pre>
 */
public final class TestHostExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestHostExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestHost.class || type == HelloServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Class<?> type = parameter.getParameter().getType();
        if (type == TestHost.class) {
            return store.computeIfAbsent(TestHost.class, key -> new TestHost(), TestHost.class);
        }
        return store.computeIfAbsent(HelloServer.class, key -> HelloServer.start(), HelloServer.class);
    }
}
