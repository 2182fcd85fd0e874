package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The mount table's answers on written {@code mountinfo} lines (proc(5)'s format), for layouts this
 * machine cannot mount in a test: a container whose root is an overlay of directories it can see,
 * a FUSE mount, a loop-mounted image. {@code BindMountAliasTest} mounts for real.
 */
class MountTableTest {
    private static final String ROOT = "20 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw";

    private static MountTable table(String... lines) {
        return table(Map.of(), lines);
    }

    private static MountTable table(Map<String, Path> loops, String... lines) {
        return MountTable.parse(mountinfo(List.of(lines)), device -> loops.containsKey(device)
                ? new MountTable.Backing(true, Optional.ofNullable(loops.get(device)).filter(p -> !p.toString().isEmpty()))
                : MountTable.Backing.NONE);
    }

    /** The lines as the kernel writes the file: each ends with a newline. */
    private static byte[] mountinfo(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Path p(String path) {
        return Path.of(path);
    }

    @Test
    void aGrantOfTheDirectoryABindWasMadeFromReachesTheBind() {
        MountTable mounts = table(ROOT, "30 20 8:1 /x/data/home /x/h rw,relatime shared:1 - ext4 /dev/sda1 rw");
        assertThat(mounts.reachedElsewhere(p("/x/data"))).contains(p("/x/h"));
        assertThat(mounts.reachedElsewhere(p("/x/data/home/.ssh"))).contains(p("/x/h/.ssh"));
        // the control: a directory beside the source reaches nothing else
        assertThat(mounts.reachedElsewhere(p("/x/other"))).isEmpty();
    }

    @Test
    void aBindOfOneFileIsReachedFromTheDirectoryThatHoldsItsSource() {
        MountTable mounts = table(ROOT, "31 20 8:1 /x/dot/awscreds /root/.aws/credentials rw - ext4 /dev/sda1 rw");
        assertThat(mounts.reachedElsewhere(p("/x/dot"))).containsExactly(p("/root/.aws/credentials"));
    }

    @Test
    void aGrantHoldingAnOverlaysLayerReachesTheOverlay() {
        MountTable mounts = table(ROOT, "40 20 0:50 / /x/hm rw - overlay overlay rw,lowerdir=/x/o/low,upperdir=/x/o/up,workdir=/x/o/wk");
        assertThat(mounts.reachedElsewhere(p("/x/o"))).contains(p("/x/hm"));
        assertThat(mounts.reachedElsewhere(p("/x/o/up/.ssh"))).contains(p("/x/hm/.ssh"));
        assertThat(mounts.reachedElsewhere(p("/x/elsewhere"))).isEmpty();
    }

    /** overlayroot: / is an overlay whose lower layer is a bind of the real root, visible at /media/root-ro. */
    @Test
    void theLayersOfARootOverlayAreOtherNamesOfWhatItShows() {
        MountTable mounts = table(
                "20 1 0:60 / / rw - overlay overlayroot rw,lowerdir=/media/root-ro,upperdir=/media/root-rw/upper,workdir=/media/root-rw/work",
                "21 20 8:1 / /media/root-ro ro - ext4 /dev/sda1 ro",
                "22 20 0:61 / /media/root-rw rw - tmpfs tmpfs rw");
        assertThat(mounts.reachedElsewhere(p("/media/root-ro/work/app"))).contains(p("/work/app"));
        assertThat(mounts.reachedElsewhere(p("/media/root-rw"))).contains(p("/"));
        assertThat(mounts.opaque(p("/work/app"))).as("the root overlay itself is not opaque").isEmpty();
    }

    @Test
    void aGrantHoldingALoopDevicesFileReachesWhatIsMountedFromIt() {
        MountTable mounts = table(Map.of("7:0", p("/x/img/home.img")), ROOT, "50 20 7:0 / /x/lh rw - ext4 /dev/loop0 rw");
        assertThat(mounts.reachedElsewhere(p("/x/img"))).contains(p("/x/lh"));
        // what is mounted from it does not reach the file as a file: writing it is what mounting it is for
        assertThat(mounts.reachedElsewhere(p("/x/lh"))).doesNotContain(p("/x/img/home.img"));
    }

    @Test
    void overlaysFuseAndKernelInterfacesAtInsideOrBeneathAreOpaque() {
        MountTable mounts = table(ROOT,
                "60 20 0:70 / /x/bld/rootfs/proc rw - proc proc rw",
                "61 20 0:71 / /x/fx rw,nosuid - fuse.bindfs bindfs rw",
                "62 20 0:72 / /x/ov rw - overlay overlay rw,lowerdir=l,upperdir=.,workdir=w",
                "63 20 0:73 / /x/data rw - tmpfs tmpfs rw");
        assertThat(mounts.opaque(p("/x/bld"))).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(MountTable.Opaque.Kind.KERNEL_INTERFACE);
            assertThat(o.relation()).isEqualTo(MountTable.Opaque.Relation.BENEATH);
            assertThat(o.type()).isEqualTo("proc");
        });
        assertThat(mounts.opaque(p("/x/fx"))).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(MountTable.Opaque.Kind.FUSE);
            assertThat(o.relation()).isEqualTo(MountTable.Opaque.Relation.AT);
        });
        assertThat(mounts.opaque(p("/x/ov/sub"))).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(MountTable.Opaque.Kind.OVERLAY);
            assertThat(o.relation()).isEqualTo(MountTable.Opaque.Relation.INSIDE);
        });
        // the controls: a tmpfs is stored files, and a directory beside them holds none of them
        assertThat(mounts.opaque(p("/x/data"))).isEmpty();
        assertThat(mounts.opaque(p("/y"))).isEmpty();
    }

    @Test
    void aMountPointWithEscapedCharactersIsReadAsNamed() {
        MountTable mounts = table(ROOT, "30 20 8:1 /x/data/home /x/my\\040home rw - ext4 /dev/sda1 rw");
        assertThat(mounts.reachedElsewhere(p("/x/data"))).contains(p("/x/my home"));
    }
    /** Round 12: the project was a bind of the directory that held the image; a name of the grant holds the file. */
    @Test
    void aGrantWhoseOtherNameHoldsALoopDevicesFileReachesTheMount() {
        MountTable mounts = table(Map.of("7:0", p("/x/imgs/home.img")), ROOT,
                "50 20 7:0 / /home/u rw - ext4 /dev/loop0 rw",
                "51 20 8:1 /x/imgs /x/pc rw - ext4 /dev/sda1 rw");
        assertThat(mounts.reachedElsewhere(p("/x/pc"))).contains(p("/home/u"));
    }

    /** A loop device whose file cannot be found, or a FUSE mount, can hold anything: untraceable. */
    @Test
    void mountsWhoseContentCannotBeTracedAreListed() {
        MountTable mounts = table(Map.of("7:1", p("")), ROOT,
                "50 20 7:1 / /home/u rw - ext4 /dev/loop1 rw",
                "51 20 0:80 / /home/v/.ssh rw - fuse bindfs rw",
                "52 20 0:81 / /srv/data rw - tmpfs tmpfs rw");
        assertThat(mounts.untraceable()).extracting(MountTable.Untraceable::point).containsExactly(p("/home/u"), p("/home/v/.ssh"));
        assertThat(mounts.untraceable()).extracting(MountTable.Untraceable::kind)
                .containsExactly(MountTable.Opaque.Kind.LOOP, MountTable.Opaque.Kind.FUSE);
    }

    /** Thousands of binds of one directory: the answer comes without a table of every pair (round 12: 5000 took 2.8 GB). */
    @Test
    void manyBindsOfOneDirectoryAreAnsweredInLinearTime() {
        List<String> lines = new java.util.ArrayList<>(List.of(ROOT));
        for (int i = 0; i < 5000; i++) {
            lines.add((100 + i) + " 20 8:1 /x/src /x/b" + i + " rw - ext4 /dev/sda1 rw");
        }
        MountTable mounts = MountTable.parse(mountinfo(lines), device -> MountTable.Backing.NONE);
        assertThat(mounts.reachedElsewhere(p("/x/project"))).isEmpty();
        assertThat(mounts.reachedElsewhere(p("/x/src"))).hasSize(5000);
    }
    /** A bind of a file deleted since is named "//deleted": no other name of its file system shows it. */
    @Test
    void aBindOfADeletedFileHasNoOtherName() {
        MountTable mounts = table(ROOT, "31 20 8:1 /x/dot/awscreds//deleted /root/.aws/credentials rw - ext4 /dev/sda1 rw");
        assertThat(mounts.reachedElsewhere(p("/x/dot"))).isEmpty();
        assertThat(mounts.names(p("/root/.aws/credentials"))).containsExactly(p("/root/.aws/credentials"));
    }

    /**
     * The table is parsed from the file's bytes: a name that is not UTF-8 (any byte but NUL and
     * '/' is allowed) costs only that mount its exact name, and the other mounts are still judged
     * (decoding the file at once threw, and the table came out empty).
     */
    @Test
    void aMountNamedInBytesThatAreNotUtf8LeavesTheOtherMountsJudged() {
        byte[] text = (ROOT + "\n30 20 8:1 /x/src /x/bad\u0001 rw - ext4 /dev/sda1 rw\n"
                + "40 20 0:50 / /x/hm rw - overlay overlay rw,lowerdir=/x/o/low,upperdir=/x/o/up,workdir=/x/o/wk\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int bad = new String(text, java.nio.charset.StandardCharsets.UTF_8).indexOf('\u0001');
        text[bad] = (byte) 0xff; // a lone continuation-less byte: invalid UTF-8
        MountTable mounts = MountTable.parse(text, device -> MountTable.Backing.NONE);
        assertThat(mounts.untraceable()).extracting(MountTable.Untraceable::point).containsExactly(p("/x/hm"));
        assertThat(mounts.reachedElsewhere(p("/x/o"))).contains(p("/x/hm"));
    }

    /** Escapes are undone once, in the fields and in an overlay's layers alike ("\134" is a backslash). */
    @Test
    void escapesAreUndoneOnceInPointsRootsAndLayers() {
        MountTable mounts = table(ROOT,
                "30 20 8:1 /x/a\\040b /x/tab\\011dir rw - ext4 /dev/sda1 rw",
                "40 20 0:50 / /x/hm rw - overlay overlay rw,lowerdir=/x/lo\\134040w,upperdir=/x/u\\040p,workdir=/x/wk");
        assertThat(mounts.reachedElsewhere(p("/x/a b"))).containsExactly(p("/x/tab\tdir"));
        assertThat(mounts.reachedElsewhere(p("/x/u p"))).contains(p("/x/hm"));
        assertThat(mounts.reachedElsewhere(p("/x/lo\\040w"))).contains(p("/x/hm"));
        assertThat(mounts.reachedElsewhere(p("/x/lo w"))).isEmpty();
    }

    /** Lines the format does not allow are skipped, as before: no " - ", too few fields, an empty line, no type. */
    @Test
    void malformedLinesAreSkipped() {
        MountTable mounts = table(ROOT, "", "30 20 8:1 /x/src /x/b rw ext4 /dev/sda1 rw", "31 20 8:1 /x/src",
                "33 20 8:1 /x/src - ext4 /dev/sda1 rw", "34 20 8:1 /x/src /x/e rw - ",
                "32 20 8:1 /x/src /x/c rw - ext4 /dev/sda1 rw");
        assertThat(mounts.reachedElsewhere(p("/x/src"))).containsExactly(p("/x/c"));
    }
}
