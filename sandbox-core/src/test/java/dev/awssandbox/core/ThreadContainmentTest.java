package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Landlock domain of a run must never reach another JVM thread (DESIGN.md §2.3: with
 * ProcessBuilder, the JDK's reaper and common-pool workers inherited it). After many runs,
 * sequential, concurrent, from platform and virtual threads, with callbacks: every thread of the
 * JVM still reads a file outside the policy, and none carries no_new_privs (which Landlock
 * requires, so a thread that inherited a domain would show it) except the dedicated spawning
 * threads ({@code aws-sandbox-spawn}, which end after one spawn, and bubblewrap's long-lived
 * {@code aws-sandbox-spawner-N}), which do nothing but spawn, and the thread that creates the
 * Landlock ones inside the commands' domain ({@code aws-sandbox-spawn-domain}, which does nothing
 * but create them; its domain scopes signals only, so it too reads the file). Both probes have a negative control:
 * a thread that does carry a domain fails the read, and one with no_new_privs is seen.
 */
@ExtendWith(TestHostExtension.class)
class ThreadContainmentTest {
    private TestHost host;
    private Sandboxes sandboxes;
    private Path outsideFile;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
        sandboxes = Sandboxes.of(host);
        outsideFile = host.outsideFile("jvm-readable.txt", "the JVM can read this");
    }

    @Test
    void noJvmThreadInheritsTheDomain() throws Exception {
        // the sandbox really denies this file to its children
        assertThat(sandboxes.inside("cat", outsideFile.toString()).isSuccess()).isFalse();

        for (int i = 0; i < 20; i++) {
            assertThat(sandboxes.inside("true").isSuccess()).isTrue();
        }
        ConcurrentLinkedQueue<String> callbackReads = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            futures.add(sandboxes.sandboxed().runAsync(Command.of("true"))
                    .thenApply(r -> { callbackReads.add(read(outsideFile)); return r; })
                    .thenApplyAsync(r -> { callbackReads.add(read(outsideFile)); return r; }));
        }
        try (ExecutorService platform = Executors.newFixedThreadPool(4);
             ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                futures.add(CompletableFuture.runAsync(() -> sandboxes.inside("true"), platform));
                futures.add(CompletableFuture.runAsync(() -> sandboxes.inside("true"), virtual));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }

        assertThat(callbackReads).hasSize(60).allMatch("the JVM can read this"::equals);
        assertThat(read(outsideFile)).isEqualTo("the JVM can read this");
        assertThat(CompletableFuture.supplyAsync(() -> read(outsideFile)).get()).isEqualTo("the JVM can read this");
        assertThat(ForkJoinPool.commonPool().submit(() -> read(outsideFile)).get()).isEqualTo("the JVM can read this");
        try (ExecutorService fresh = Executors.newCachedThreadPool()) {
            assertThat(fresh.submit(() -> read(outsideFile)).get()).isEqualTo("the JVM can read this");
        }
        assertThat(threadsWithNoNewPrivs()).allMatch(name -> name.startsWith("aws-sandbox-spa"));
    }

    @Test
    void theProbesSeeAThreadThatDoesCarryADomain() throws Exception {
        // negative control for both probes: a throw-away thread restricts itself as a spawner does
        String[] read = new String[1];
        java.util.concurrent.CountDownLatch restricted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread control = Thread.ofPlatform().name("control-restricted").start(() -> {
            try (var ruleset = dev.awssandbox.core.landlock.LandlockRuleset.create(1,
                    dev.awssandbox.core.landlock.FsAccess.knownBy(1), false, java.util.Set.of())) {
                if (dev.awssandbox.core.linux.Libc.setNoNewPrivs() == 0 && ruleset.restrictCurrentThread() == 0) {
                    read[0] = read(outsideFile);
                } else {
                    read[0] = "could not restrict";
                }
            } catch (IOException e) {
                read[0] = "could not build a ruleset: " + e;
            }
            restricted.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        restricted.await();
        List<String> flagged = threadsWithNoNewPrivs();
        done.countDown();
        control.join();
        assertThat(read[0]).startsWith("DENIED");
        assertThat(flagged).anyMatch(name -> name.startsWith("control-restric"));
    }

    /** Names (comm, 15 characters) of this JVM's threads whose /proc status shows NoNewPrivs: 1. */
    private static List<String> threadsWithNoNewPrivs() throws IOException {
        List<String> flagged = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    List<String> status = Files.readAllLines(task.resolve("status"));
                    if (status.contains("NoNewPrivs:\t1")) {
                        flagged.add(Files.readString(task.resolve("comm")).strip() + " (tid " + task.getFileName() + ")");
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        }
        return flagged;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "DENIED: " + e;
        }
    }
}
