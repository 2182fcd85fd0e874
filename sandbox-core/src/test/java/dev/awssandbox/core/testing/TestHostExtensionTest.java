package dev.awssandbox.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** A test that fails still leaves no host behind, and its {@code @BeforeEach} and test method share one host. */
class TestHostExtensionTest {
    private static volatile boolean launched;
    private static volatile Path root;
    private static volatile boolean shared;

    @Test
    void theHostOfAFailedTestIsRemoved() {
        launched = true;
        try {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request().selectors(selectClass(FailingWithAHost.class)).build(), summary);
            assertThat(summary.getSummary().getTotalFailureCount()).as("the inner test failed, as it should").isEqualTo(1);
        } finally {
            launched = false;
        }
        assertThat(shared).as("@BeforeEach and the test got the same host").isTrue();
        assertThat(root).isNotNull().doesNotExist();
    }

    /** Run only by the test above (surefire leaves nested classes alone). */
    @ExtendWith(TestHostExtension.class)
    static class FailingWithAHost {
        private TestHost host;

        @BeforeEach
        void setUp(TestHost host) {
            assumeTrue(launched, "run by TestHostExtensionTest only");
            this.host = host;
        }

        @Test
        void fails(TestHost host) {
            root = host.root();
            shared = host == this.host && Files.exists(host.home().resolve(".ssh/id_ed25519"));
            throw new AssertionError("a failure, on purpose");
        }
    }
}
