package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The planner's file-system memo ({@link FileFacts}) answers as the JDK does, and its process-wide
 * entry cache ({@link EntryCache}) never hides a change made between two plans. The caches here
 * cache a directory as soon as its change time is in the past (the planner's own waits until it
 * has been still for seconds), so that these tests exercise cached answers.
 */
@ExtendWith(TestHostExtension.class)
class FileFactsTest {
    private TestHost host;
    private Path base;

    @BeforeEach
    void setUp(TestHost host) throws IOException {
        this.host = host;
        base = directory(host.outside().resolve("tree"));
    }

    /** A directory that is not group- or world-writable whatever the umask: the cache only keeps those. */
    private static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Lets the kernel's coarse change-time clock move past the last change (the cache's settling rule, at 0 ms). */
    private static void settle() throws InterruptedException {
        Thread.sleep(50);
    }

    private static Optional<Path> jdkReal(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Test
    void resolvesAsToRealPathDoes() throws Exception {
        Path dir = directory(base.resolve("dir"));
        directory(dir.resolve("sub"));
        Files.writeString(dir.resolve("file"), "x");
        Files.createSymbolicLink(base.resolve("abs"), dir);
        Files.createSymbolicLink(base.resolve("rel"), Path.of("dir"));
        Files.createSymbolicLink(base.resolve("chain"), Path.of("rel"));
        Files.createSymbolicLink(base.resolve("up"), Path.of("dir/sub/.."));
        Files.createSymbolicLink(dir.resolve("lnk"), Path.of("../dir/sub"));
        Files.createSymbolicLink(dir.resolve("sub/back"), Path.of(".."));
        Files.createSymbolicLink(base.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(base.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(base.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(base.resolve("tofile"), Path.of("dir/file"));
        Files.createSymbolicLink(base.resolve("slash"), Path.of("dir/"));
        Files.createSymbolicLink(base.resolve("slashfile"), Path.of("dir/file/"));
        Files.createSymbolicLink(base.resolve("double"), Path.of("dir//sub"));
        Files.createSymbolicLink(base.resolve("root"), Path.of("/"));
        // l0 is past the kernel's 40 links; l25 is 20 links from dir. A chain between 21 and 40 links is not a
        // fixed answer: when a lookup falls back from RCU walk (concurrent changes to the dentry cache), the
        // kernel retries with the links already counted, and a 35-link chain failed with ELOOP once in CI.
        for (int i = 0; i < 45; i++) {
            Files.createSymbolicLink(base.resolve("l" + i), Path.of(i == 44 ? "dir" : "l" + (i + 1)));
        }
        List<String> cases = List.of("", "dir", "dir/file", "dir/sub", "abs", "abs/file", "rel/sub", "chain/file",
                "up", "up/file", "dir/lnk", "dir/lnk/back", "dir/lnk/back/file", "dir/lnk/..", "dangling", "dangling/x",
                "loop1", "loop1/x", "tofile", "tofile/x", "tofile/..", "slash", "slash/file", "slashfile", "double",
                "double/back", "dir/file/..", "dir/./sub", "dir/sub/../file", "rel/../dir", "abs/../dir/file", "l0",
                "l25", "l30/file", "missing", "missing/x", "dir/missing", "root", "root/etc", "..", "../tree/dir");
        EntryCache cache = new EntryCache(0);
        settle();
        for (int plan = 0; plan < 3; plan++) { // the first fills the cache, the others answer from it
            FileFacts facts = new FileFacts(cache);
            for (String c : cases) {
                Path path = c.isEmpty() ? base : base.resolve(c);
                assertThat(facts.real(path)).as("real(%s), plan %d", c, plan).isEqualTo(jdkReal(path));
                assertThat(facts.exists(path, true)).as("exists(%s)", c).isEqualTo(Files.exists(path));
                assertThat(facts.exists(path, false)).as("exists(%s, NOFOLLOW)", c)
                        .isEqualTo(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
                assertThat(facts.isDirectory(path, true)).as("isDirectory(%s)", c).isEqualTo(Files.isDirectory(path));
                assertThat(facts.isDirectory(path, false)).as("isDirectory(%s, NOFOLLOW)", c)
                        .isEqualTo(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
                assertThat(facts.isRegularFile(path, true)).as("isRegularFile(%s)", c).isEqualTo(Files.isRegularFile(path));
                assertThat(facts.isRegularFile(path, false)).as("isRegularFile(%s, NOFOLLOW)", c)
                        .isEqualTo(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
            }
        }
        assertThat(cache.answers()).as("answers from the cache").isPositive();
    }

    /** On Linux lstat is made through statx(2) directly: it must read what the JDK reads. */
    @Test
    void nativeLstatReadsWhatTheJdkReads() throws Exception {
        Path file = Files.writeString(base.resolve("file"), "x");
        Path link = Files.createSymbolicLink(base.resolve("link"), Path.of("file"));
        for (Path path : List.of(base, file, link, Path.of("/"), Path.of("/dev/null"), Path.of("/usr/bin"))) {
            Object answer = NativeLstat.lstat(path, 0);
            if (answer instanceof Integer code) {
                assertThat(code).as("only where statx is not available").isEqualTo(NativeLstat.NOT_HERE);
                org.junit.jupiter.api.Assumptions.abort("statx(2) is not used on this platform");
            }
            FileFacts.Stat stat = (FileFacts.Stat) answer;
            var jdk = Files.readAttributes(path, "unix:mode,uid,dev,ino,ctime", LinkOption.NOFOLLOW_LINKS);
            assertThat(stat.mode()).as("mode of %s", path).isEqualTo(jdk.get("mode"));
            assertThat(stat.uid()).as("uid of %s", path).isEqualTo(jdk.get("uid"));
            assertThat(stat.dev()).as("dev of %s", path).isEqualTo(jdk.get("dev"));
            assertThat(stat.ino()).as("ino of %s", path).isEqualTo(jdk.get("ino"));
            assertThat(stat.ctime()).as("ctime of %s", path)
                    .isEqualTo(((java.nio.file.attribute.FileTime) jdk.get("ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS));
        }
        assertThat(NativeLstat.lstat(base.resolve("missing"), 0)).isEqualTo(NativeLstat.ENOENT);
        assertThat(NativeLstat.lstat(base.resolve("file/x"), 0)).as("ENOTDIR").isEqualTo(NativeLstat.ENOTDIR);
        // and FileFacts and kindNow report it as the JDK does: NoSuchFileException, with the path as its message
        Path belowAFile = base.resolve("file/x");
        Throwable jdkError = org.assertj.core.api.Assertions.catchThrowable(
                () -> Files.readAttributes(belowAFile, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        Throwable factsError = org.assertj.core.api.Assertions.catchThrowable(() -> new FileFacts().stat(belowAFile));
        assertThat(factsError).isInstanceOf(jdkError.getClass()).hasMessage(jdkError.getMessage());
        assertThat(NativeLstat.kindNow(belowAFile)).isEqualTo(FileFacts.Kind.ABSENT);
        assertThat(NativeLstat.lstat(base.resolve("caf\u00e9"), 0)).as("not ASCII").isEqualTo(NativeLstat.NOT_HERE);
    }

    /** The .git scan lists directories with getdents64(2) on Linux: the JDK's entries, in its order, typed as lstat types them. */
    @Test
    void nativeListingIsTheJdkListing() throws Exception {
        Path dir = directory(base.resolve("listing"));
        for (int i = 0; i < 300; i++) { // more than one getdents64 buffer's worth of long names
            Files.writeString(dir.resolve("file-" + "x".repeat(100) + i), "");
        }
        directory(dir.resolve("sub"));
        directory(dir.resolve(".git"));
        Files.createSymbolicLink(dir.resolve("link-to-dir"), dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
        List<NativeDirectory.Entry> listed = NativeDirectory.list(dir, Integer.MAX_VALUE);
        org.junit.jupiter.api.Assumptions.assumeTrue(listed != null, "getdents64(2) is not used on this platform");
        List<String> jdk = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(dir)) {
            stream.forEach(p -> jdk.add(p.getFileName().toString()));
        }
        assertThat(listed.stream().map(e -> e.name().toString()).toList()).isEqualTo(jdk);
        for (NativeDirectory.Entry entry : listed) {
            boolean directory = entry.typeUnknown()
                    ? NativeLstat.kindNow(dir.resolve(entry.name())) == FileFacts.Kind.DIRECTORY : entry.directory();
            assertThat(directory).as(entry.name().toString())
                    .isEqualTo(Files.isDirectory(dir.resolve(entry.name()), LinkOption.NOFOLLOW_LINKS));
        }
        assertThat(NativeDirectory.list(dir, 5)).hasSize(5).isEqualTo(listed.subList(0, 5));
        assertThat(NativeDirectory.list(dir.resolve("missing"), 5)).as("the JDK reports errors").isNull();
        assertThat(NativeDirectory.list(dir.resolve("sub/../" + jdk.getFirst()), 5)).as("not a directory").isNull();
    }

    @Test
    void aChangeToADirectoryBetweenTwoPlansIsSeen() throws Exception {
        Path dir = directory(base.resolve("install"));
        Path a = directory(base.resolve("a"));
        Path b = directory(base.resolve("b"));
        Files.createSymbolicLink(dir.resolve("current"), a);
        Files.writeString(dir.resolve("tool"), "x");
        EntryCache cache = new EntryCache(0);
        settle();
        for (int plan = 0; plan < 2; plan++) {
            FileFacts facts = new FileFacts(cache);
            assertThat(facts.real(dir.resolve("current"))).contains(a);
            assertThat(facts.kind(dir.resolve("new"))).isEqualTo(FileFacts.Kind.ABSENT);
            assertThat(facts.kind(dir.resolve("tool"))).isEqualTo(FileFacts.Kind.REGULAR);
            assertThat(facts.firstExisting(dir, SensitiveLocations.CREDENTIAL_ENTRIES)).isEmpty();
        }
        long cached = cache.answers();
        assertThat(cached).as("the second plan's answers came from the cache").isPositive();

        // what a command could do between two plans: re-point a link, create entries, replace a file
        Files.delete(dir.resolve("current"));
        Files.createSymbolicLink(dir.resolve("current"), b);
        directory(dir.resolve("new"));
        directory(dir.resolve(".ssh"));
        Files.createSymbolicLink(dir.resolve("tool.tmp"), Path.of("/etc/hostname"));
        Files.move(dir.resolve("tool.tmp"), dir.resolve("tool"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        settle(); // settled again: the cache could answer, but only under the new change time

        FileFacts after = new FileFacts(cache);
        assertThat(after.real(dir.resolve("current"))).contains(b);
        assertThat(after.kind(dir.resolve("new"))).isEqualTo(FileFacts.Kind.DIRECTORY);
        assertThat(after.kind(dir.resolve("tool"))).isEqualTo(FileFacts.Kind.SYMLINK);
        assertThat(after.firstExisting(dir, SensitiveLocations.CREDENTIAL_ENTRIES)).contains(dir.resolve(".ssh"));
    }

    /** A directory's listing (the certificate stores' walk) is Files.list(dir).sorted(), also when it comes from the cache. */
    @Test
    void aListingIsTheJdksSortedListingAndSeesChanges() throws Exception {
        Path dir = directory(base.resolve("store"));
        directory(dir.resolve("certs"));
        Files.writeString(dir.resolve("openssl.cnf"), "x");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("certs"));
        Path file = dir.resolve("openssl.cnf");
        EntryCache cache = new EntryCache(0);
        settle();
        for (int plan = 0; plan < 2; plan++) {
            FileFacts facts = new FileFacts(cache);
            assertThat(facts.list(dir)).as("plan %d", plan).isEqualTo(jdkList(dir));
            assertThat(facts.list(file)).as("a file").isEmpty();
            assertThat(facts.list(dir.resolve("missing"))).as("missing").isEmpty();
        }
        long cached = cache.answers();
        assertThat(cached).as("the second listing came from the cache").isPositive();

        directory(dir.resolve("private"));
        Files.delete(dir.resolve("link"));
        settle();
        FileFacts after = new FileFacts(cache);
        assertThat(after.list(dir)).isEqualTo(jdkList(dir)).contains(dir.resolve("private")).doesNotContain(dir.resolve("link"));

        // a write path is listed afresh in every plan
        for (int plan = 0; plan < 2; plan++) {
            FileFacts facts = new FileFacts(cache);
            facts.neverCacheBelow(List.of(dir));
            facts.stat(dir); // its own type is then this plan's, not an answer of the cache
            long before = cache.answers();
            assertThat(facts.list(dir)).isEqualTo(jdkList(dir));
            assertThat(cache.answers()).as("a write path's listing from the cache").isEqualTo(before);
        }
    }

    /**
     * {@link FileFacts#namesIn} (the start-up files' readers' listings: the names in a search-path directory, a pattern's
     * directories) is the JDK's sorted listing of where the path leads, also through a link and from the cache, sees a
     * name added or removed between two plans, answers none for a file or a missing path, and null past its bound.
     */
    @Test
    void theNamesInADirectoryAreTheJdksAndSeeChangesBetweenPlans() throws Exception {
        Path dir = directory(base.resolve("bin"));
        Files.writeString(dir.resolve("tool"), "x");
        directory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(base.resolve("bin-link"), Path.of("bin"));
        Path file = dir.resolve("tool");
        EntryCache cache = new EntryCache(0);
        settle();
        for (int plan = 0; plan < 2; plan++) {
            FileFacts.during(new FileFacts(cache), () -> {
                assertThat(FileFacts.namesIn(dir, 100)).isEqualTo(jdkNames(dir));
                assertThat(FileFacts.namesIn(link, 100)).as("through a link").isEqualTo(jdkNames(dir));
                assertThat(FileFacts.namesIn(file, 100)).as("a file").isEmpty();
                assertThat(FileFacts.namesIn(base.resolve("missing"), 100)).as("missing").isEmpty();
                assertThat(FileFacts.namesIn(dir, 1)).as("past the bound").isNull();
                return null;
            });
        }
        assertThat(cache.answers()).as("the second plan's listing came from the cache").isPositive();
        assertThat(FileFacts.namesIn(dir, 100)).as("outside a plan").isEqualTo(jdkNames(dir));

        Files.writeString(dir.resolve("new-tool"), "y");
        Files.delete(dir.resolve("tool"));
        settle();
        FileFacts.during(new FileFacts(cache), () -> {
            assertThat(FileFacts.namesIn(dir, 100)).isEqualTo(jdkNames(dir)).contains(Path.of("new-tool"))
                    .doesNotContain(Path.of("tool"));
            assertThat(FileFacts.namesIn(link, 100)).isEqualTo(jdkNames(dir));
            return null;
        });
    }

    /**
     * A listing that fails (here: a thread Landlock keeps from listing any directory; elsewhere EMFILE, EIO on a network
     * home) is no answer the process cache keeps: the next plan lists afresh. Review of the listing change: the failure
     * had been recorded as an empty directory, and every later plan of the process found no script in it. Control: the
     * failing plan itself answers none, as the shell's search finds nothing there either.
     */
    @Test
    void aListingThatFailedIsNotKeptForTheNextPlan() throws Exception {
        dev.awssandbox.core.testing.Requirements.requireLandlock();
        Path dir = directory(base.resolve("search"));
        Files.writeString(dir.resolve("tool"), "x");
        EntryCache cache = new EntryCache(0);
        settle();
        java.util.concurrent.atomic.AtomicReference<Object> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread.ofPlatform().start(() -> {
            try (var ruleset = dev.awssandbox.core.landlock.LandlockRuleset.create(1,
                    java.util.EnumSet.of(dev.awssandbox.core.landlock.FsAccess.READ_DIR), false, java.util.Set.of())) {
                if (dev.awssandbox.core.linux.Libc.setNoNewPrivs() != 0 || ruleset.restrictCurrentThread() != 0) {
                    failed.set("could not restrict the thread");
                    return;
                }
                failed.set(FileFacts.during(new FileFacts(cache), () -> FileFacts.namesIn(dir, 100)));
            } catch (Exception e) {
                failed.set(e);
            }
        }).join();
        assertThat(failed.get()).as("the restricted plan's listing").isEqualTo(List.of());

        FileFacts.during(new FileFacts(cache), () -> {
            assertThat(FileFacts.namesIn(dir, 100)).isEqualTo(jdkNames(dir)).contains(Path.of("tool"));
            assertThat(new FileFacts(cache).list(dir)).isEqualTo(jdkList(dir));
            return null;
        });
    }

    private static List<Path> jdkNames(Path dir) throws IOException {
        return jdkList(dir).stream().map(Path::getFileName).toList();
    }

    private static List<Path> jdkList(Path dir) throws IOException {
        try (var stream = Files.list(dir)) {
            return stream.sorted().toList();
        }
    }

    /**
     * The first credential entry in a path, as lstat finds it, whatever the path is — and also when
     * the plan has resolved it before (a file grant is then answered without looking again).
     */
    @Test
    void theFirstExistingEntryIsWhatLstatFinds() throws Exception {
        Path dir = directory(base.resolve("home"));
        directory(dir.resolve(".aws"));
        Files.writeString(dir.resolve(".netrc"), "x");
        Path file = Files.writeString(base.resolve("plain"), "x");
        Files.createSymbolicLink(base.resolve("to-dir"), dir);
        Files.createSymbolicLink(base.resolve("to-file"), file);
        EntryCache cache = new EntryCache(0);
        settle();
        for (int plan = 0; plan < 2; plan++) {
            for (boolean resolvedFirst : List.of(false, true)) {
                FileFacts facts = new FileFacts(cache);
                for (String c : List.of("home", "plain", "to-dir", "to-file", "missing", "home/.netrc")) {
                    Path path = base.resolve(c);
                    if (resolvedFirst) {
                        facts.real(path);
                    }
                    Optional<Path> jdk = SensitiveLocations.CREDENTIAL_ENTRIES.stream().map(path::resolve)
                            .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).findFirst();
                    assertThat(facts.firstExisting(path, SensitiveLocations.CREDENTIAL_ENTRIES))
                            .as("%s, plan %d, resolved first: %s", c, plan, resolvedFirst).isEqualTo(jdk);
                }
            }
        }
    }

    /**
     * The configs' readers ({@link NamedFiles}, {@link GitConfig}) ask through {@link FileFacts#lstatKind},
     * {@link FileFacts#LSTAT} and {@link FileFacts#readOnce}: one answer per plan, whatever changes during it, and the
     * next plan (and code outside a plan) asks the kernel afresh, so a change between two plans is always seen.
     */
    @Test
    void theConfigReadersGetOneAnswerAPlanAndAFreshOneInTheNext() throws Exception {
        Path file = base.resolve("later");
        Path text = Files.writeString(base.resolve("text"), "one");
        Path link = Files.createSymbolicLink(base.resolve("link"), Path.of("a"));
        for (int plan = 0; plan < 2; plan++) {
            boolean first = plan == 0;
            FileFacts.during(new FileFacts(new EntryCache(0)), () -> {
                assertThat(FileFacts.lstatKind(file)).isEqualTo(first ? FileFacts.Kind.ABSENT : FileFacts.Kind.REGULAR);
                assertThat(FileFacts.readOnce(text, 100, (f, max) -> Files.readAllBytes(f))).asString()
                        .isEqualTo(first ? "one" : "two");
                assertThat(FileFacts.LSTAT.readLink(link)).isEqualTo(Path.of(first ? "a" : "b"));
                if (first) { // changed during the plan: the plan keeps its answers
                    Files.writeString(file, "x");
                    Files.writeString(text, "two");
                    Files.delete(link);
                    Files.createSymbolicLink(link, Path.of("b"));
                    assertThat(FileFacts.lstatKind(file)).isEqualTo(FileFacts.Kind.ABSENT);
                    assertThat(FileFacts.readOnce(text, 100, (f, max) -> Files.readAllBytes(f))).asString().isEqualTo("one");
                    assertThat(FileFacts.LSTAT.readLink(link)).isEqualTo(Path.of("a"));
                    assertThat(NativeLstat.kindNow(file)).as("the kernel's answer now").isEqualTo(FileFacts.Kind.REGULAR);
                }
                return null;
            });
            // outside a plan: asked now
            assertThat(FileFacts.lstatKind(file)).isEqualTo(FileFacts.Kind.REGULAR);
            assertThat(FileFacts.readOnce(text, 100, (f, max) -> Files.readAllBytes(f))).asString().isEqualTo("two");
            assertThat(FileFacts.LSTAT.readLink(link)).isEqualTo(Path.of("b"));
        }
    }

    @Test
    void aDirectoryThatChangedJustNowIsNotCached() throws Exception {
        Path dir = directory(base.resolve("busy"));
        EntryCache cache = new EntryCache(EntryCache.SETTLE_MILLIS);
        for (int plan = 0; plan < 2; plan++) {
            FileFacts facts = new FileFacts(cache);
            assertThat(facts.isDirectory(dir, true)).isTrue(); // its ancestors may come from the cache
            long before = cache.answers();
            assertThat(facts.kind(dir.resolve("x"))).isEqualTo(FileFacts.Kind.ABSENT);
            assertThat(cache.answers()).as("answers about its entries from the cache").isEqualTo(before);
        }
    }

    @Test
    void writablePathsAreNeverAnsweredFromTheCache() throws Exception {
        Path writable = directory(base.resolve("project"));
        EntryCache cache = new EntryCache(0);
        settle();
        for (int plan = 0; plan < 2; plan++) {
            FileFacts facts = new FileFacts(cache);
            facts.neverCacheBelow(List.of(writable));
            assertThat(facts.isDirectory(writable, true)).isTrue(); // its ancestors may come from the cache
            long before = cache.answers();
            assertThat(facts.kind(writable.resolve("x"))).isEqualTo(FileFacts.Kind.ABSENT);
            assertThat(cache.answers()).as("answers about its entries from the cache").isEqualTo(before);
        }
    }

    /**
     * Whole plans, as {@link AccessPlanner#plan} makes them, sharing a cache: a credential directory
     * created in an installation, and an installation made group-writable between two plans, change
     * the second plan. (A policy path re-pointed through a symbolic link in $HOME is refused
     * outright since red team round 5: WorkingDirectoryTest.)
     */
    @Test
    void aChangeBetweenTwoPlansChangesThePlan() throws Exception {
        Path prefix = host.home().resolve("tools/prefix");
        Path tool = ExecutableChainTest.executable(prefix.resolve("bin/tool"), "#!/bin/sh\n");
        Path lib = directory(prefix.resolve("lib"));
        for (Path dir = prefix.resolve("bin"); !dir.equals(host.home()); dir = dir.getParent()) {
            directory(dir);
        }
        Path dataA = directory(host.home().resolve("data-a"));
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(dataA.toString()).build();
        EntryCache cache = new EntryCache(0);
        settle();

        List<AccessPlan> before = new ArrayList<>();
        for (int plan = 0; plan < 2; plan++) {
            before.add(plan(policy, tool, cache));
        }
        assertThat(cache.answers()).as("the second plan's answers came from the cache").isPositive();
        for (AccessPlan plan : before) {
            assertThat(resolved(plan)).contains(dataA, tool, prefix.resolve("bin"), lib);
        }

        directory(lib.resolve(".aws"));
        settle();
        AccessPlan changed = plan(policy, tool, cache);
        assertThat(resolved(changed)).contains(dataA, tool, prefix.resolve("bin")).doesNotContain(lib);

        Files.setPosixFilePermissions(prefix.resolve("bin"), PosixFilePermissions.fromString("rwxrwxr-x"));
        AccessPlan groupWritable = plan(policy, tool, cache);
        assertThat(resolved(groupWritable)).doesNotContain(tool, prefix.resolve("bin"));
    }

    private AccessPlan plan(SandboxPolicy policy, Path program, EntryCache cache) throws Exception {
        return AccessPlanner.plan(TestBackends.rules(policy), TestBackends.host(host.environment()), List.of(program.toString()), Optional.empty(),
                WriteProtection.WITHHOLD, cache);
    }

    private static List<Path> resolved(AccessPlan plan) {
        return plan.grants().stream().map(PathGrant::resolved).toList();
    }
}
