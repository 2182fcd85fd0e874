package dev.awssandbox.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.linux.Cgroups;
import dev.awssandbox.core.process.GateDirectory;
import dev.awssandbox.core.process.PrivateTemp;
import dev.awssandbox.core.testing.ChildJvm;
import dev.awssandbox.core.testing.ForeignProcMain;
import dev.awssandbox.core.testing.LeftoverSweepMain;
import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What a JVM leaves in shared places is judged gone only when it is of a JVM of the same pid
 * namespace that no longer runs: a JVM in another pid namespace (unshare --pid, a container sharing
 * /dev/shm, /tmp or the cgroup file system) does not see a live JVM's pid and used to remove its
 * gate directory, private temporary root and cgroups.
 */
class JvmTagTest {

    @Test
    void aTagNamesThisJvmAndItsPidNamespace() throws Exception {
        String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
        assertThat(JvmTag.current()).isEqualTo(ns + "." + ProcessHandle.current().pid());
    }

    /**
     * A process that has exited and waits to be reaped (a zombie: a JVM killed with SIGKILL whose parent is a subreaper
     * that does not reap it, as a test's JVM) is gone: its directories were left in /tmp after every CI run. Control: the
     * live parent that does not reap it is not gone.
     */
    @Test
    void aZombieIsGoneItsLiveParentIsNot() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 30").start();
        try {
            String zombie = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().strip();
            Path stat = Path.of("/proc", zombie, "stat");
            for (int i = 0; i < 500 && !(Files.exists(stat) && Files.readString(stat).contains(") Z ")); i++) {
                Thread.sleep(10);
            }
            assertThat(Files.readString(stat)).as("the child has exited and is not reaped").contains(") Z ");
            assertThat(JvmTag.isGone(JvmTag.of(Long.parseLong(zombie)))).as("the zombie").isTrue();
            assertThat(JvmTag.isGone(JvmTag.of(parent.pid()))).as("control: its live parent").isFalse();
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyADeadJvmOfThisNamespaceIsGone() throws Exception {
        long dead = deadPid();
        String ns = JvmTag.current().substring(0, JvmTag.current().indexOf('.'));
        assertThat(JvmTag.isGone(JvmTag.of(dead))).as("a dead pid of this namespace").isTrue();
        assertThat(JvmTag.isGone(JvmTag.current())).as("this JVM").isFalse();
        assertThat(JvmTag.isGone("1" + ns + "." + dead)).as("a dead pid's number in another namespace").isFalse();
        assertThat(JvmTag.isGone(Long.toString(dead))).as("a bare pid: a namespace cannot be told").isFalse();
        assertThat(JvmTag.isGone(ns + ".")).isFalse();
        assertThat(JvmTag.isGone(ns + ".12x")).isFalse();
    }

    /**
     * A JVM started in a pid namespace of its own makes its gate directory, temporary root and
     * cgroups beside this JVM's, and leaves this JVM's alone; the control, the same JVM in this
     * namespace, removes a dead JVM's leftovers (so the sweep ran), and leaves this JVM's alone too.
     */
    @Test
    void aJvmInAnotherPidNamespaceLeavesALiveJvmsPlacesAlone() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "unshare --pid needs root here");
        Requirements.requireProgram("unshare");
        List<Path> ours = new ArrayList<>(List.of(GateDirectory.path(), PrivateTemp.root()));
        if (Cgroups.layout() instanceof Cgroups.Layout.Available available) {
            ours.addAll(available.bases());
        }

        Path deadGates = Files.createDirectory(GateDirectory.path().getParent()
                .resolve("aws-sandbox-gates-" + JvmTag.of(deadPid()) + "-test"));
        String sameNamespace = sweep(List.of());
        assertThat(sameNamespace).isNotEqualTo(JvmTag.current());
        assertThat(deadGates).as("the control: a dead JVM's gate directory, removed by a JVM of its namespace").doesNotExist();
        assertThat(ours).as("this JVM's places, after a JVM of its namespace started").allMatch(Files::isDirectory);

        String other = sweep(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        assertThat(other.substring(0, other.indexOf('.'))).as("another pid namespace")
                .isNotEqualTo(JvmTag.current().substring(0, JvmTag.current().indexOf('.')));
        assertThat(ours).as("this JVM's places, after a JVM of another pid namespace started").allMatch(Files::isDirectory);
    }

    /**
     * In a pid namespace whose /proc is another's (unshare --pid without --mount-proc), a JVM
     * refuses its commands with a message that says why and what to do, at once, and keeps its
     * own directories: it had taken them for a dead JVM's, and a spawn waited for ever for a child
     * it could not find (red team, round 15). The control: with a /proc of its own it runs them.
     */
    @Test
    void aJvmWhoseProcIsAnotherNamespacesRefusesItsCommandsAndKeepsItsDirectories() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "unshare --pid needs root here");
        Requirements.requireLandlock();
        String foreign = run(List.of("unshare", "--pid", "--fork"), ForeignProcMain.class);
        assertThat(foreign).contains("refused: cannot run /bin/true").contains("/proc is not of this process's pid namespace")
                .contains("--mount-proc").contains("root kept: true");

        String own = run(List.of("unshare", "--pid", "--fork", "--mount-proc"), ForeignProcMain.class);
        assertThat(own).as("the control").contains("ran: exit code 0").contains("root kept: true");
    }

    /**
     * The same JVM as its namespace's subreaper, at pid 2 there, with two processes of its
     * namespace beside it (pids 3 and 4): its orphan sweep read the host's /proc, took the host's
     * kernel threads for its children (their parent, the host's kthreadd, is pid 2 there) and killed
     * pids 3, 4, ... of its own namespace, the bystanders and at last itself (red team, round 16).
     * Now it refuses its command, kills nothing and exits normally.
     */
    @Test
    void aSubreaperWhoseProcIsAnotherNamespacesKillsNothing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "unshare --pid needs root here");
        Requirements.requireLandlock();
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/2/comm")).strip().equals("kthreadd"),
                "the host's pid 2 is not kthreadd: the pids this test relies on are not there");
        Path go = dir.resolve("go");
        assertThat(new ProcessBuilder("mkfifo", go.toString()).start().waitFor()).isZero();
        String java = String.join(" ", List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", "'" + ChildJvm.classPath() + "'", ForeignProcMain.class.getName(),
                "subreaper"));
        // pid 1 is this shell; the JVM takes pid 2 (it waits on the FIFO until the bystanders exist), the sleeps 3 and 4
        String script = "sh -c 'read x < " + go + "; exec " + java.replace("'", "'\\''") + "' & j=$!\n"
                + "sleep 1000 & b1=$!\nsleep 1000 & b2=$!\n"
                + "echo \"pids $j $b1 $b2\"\necho go > " + go + "\nwait $j; echo \"jvm exit $?\"\n"
                + "kill -0 $b1 && echo 'bystander 1 alive'\nkill -0 $b2 && echo 'bystander 2 alive'\nkill $b1 $b2\n";
        Process p = new ProcessBuilder("unshare", "--pid", "--fork", "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("pids 2 3 4").contains("refused: cannot run /bin/true").contains("jvm exit 0")
                .contains("bystander 1 alive").contains("bystander 2 alive");
    }

    /** Runs LeftoverSweepMain (behind {@code prefix}); returns its tag. */
    private static String sweep(List<String> prefix) throws Exception {
        return run(prefix, LeftoverSweepMain.class);
    }

    /** Runs {@code main}'s class in a JVM (behind {@code prefix}); returns what it printed. */
    private static String run(List<String> prefix, Class<?> main) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", ChildJvm.classPath(), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }
}
