package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.access.DataDirectories.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one definition of a system directory: where the planted-link rule follows links as the
 * host's own ({@link DataDirectories#isSystem}) and which directories can be data
 * ({@link DataDirectories#whyNot}) both come from {@link DataDirectories#location}.
 */
class DataDirectoriesTest {
    private static final Map<String, Location> LOCATIONS = Map.ofEntries(
            Map.entry("/", Location.SYSTEM),
            Map.entry("/usr/bin", Location.SYSTEM),
            Map.entry("/usr/local/bin", Location.SYSTEM),
            Map.entry("/var", Location.SYSTEM),
            Map.entry("/var/lib/x", Location.SYSTEM),
            Map.entry("/private/var", Location.SYSTEM),
            Map.entry("/var/tmp", Location.SHARED_IN_SYSTEM),
            Map.entry("/private/var/tmp", Location.SHARED_IN_SYSTEM),
            Map.entry("/dev/shm", Location.SHARED_IN_SYSTEM),
            Map.entry("/dev/shm/x", Location.SHARED_IN_SYSTEM),
            Map.entry("/srv", Location.SHARED_IN_SYSTEM),
            Map.entry("/srv/x", Location.SHARED_IN_SYSTEM),
            Map.entry("/var/tmp/project", Location.ELSEWHERE),
            Map.entry("/private/tmp/project", Location.ELSEWHERE),
            Map.entry("/tmp", Location.ELSEWHERE),
            Map.entry("/home/u/project", Location.ELSEWHERE),
            Map.entry("/variable", Location.ELSEWHERE));

    @Test
    void everyDirectoryLiesInOnePlace() {
        LOCATIONS.forEach((dir, location) -> assertThat(DataDirectories.location(Path.of(dir))).as(dir).isEqualTo(location));
    }

    /** Links are followed as the host's own only in / and the system directories, not in space others write. */
    @Test
    void onlySystemLocationsAreSystemDirectories() {
        LOCATIONS.forEach((dir, location) -> assertThat(DataDirectories.isSystem(Path.of(dir))).as(dir)
                .isEqualTo(location == Location.SYSTEM));
    }

    /** Nothing in a system directory is data, not even the space others write there; below scratch space it can be. */
    @Test
    void onlyDirectoriesElsewhereCanBeData() {
        DataDirectories data = DataDirectories.of(Path.of("/home/u"), "/usr/bin:/bin", Path.of("/home/u/project"));
        LOCATIONS.forEach((dir, location) -> {
            if (location != Location.ELSEWHERE) {
                assertThat(data.whyNot(Path.of(dir))).as(dir).isPresent();
            }
        });
        assertThat(data.whyNot(Path.of("/var/tmp/project"))).isEmpty();
        assertThat(data.whyNot(Path.of("/home/u/project"))).isEmpty();
        assertThat(data.whyNot(Path.of("/var/lib/x"))).contains("it is a system directory (/var)");
    }

    /** A mount root holds every file system mounted there; one of them may be data (red team, round 15). */
    @Test
    void aMountRootIsNotDataButAMountInItCanBe() {
        DataDirectories data = DataDirectories.of(Path.of("/home/u"), "/usr/bin:/bin", Path.of("/home/u/project"));
        for (String root : List.of("/media", "/mnt", "/run/media")) {
            assertThat(data.whyNot(Path.of(root))).as(root).isPresent();
        }
        assertThat(data.whyNot(Path.of("/media/usb"))).isEmpty();
        assertThat(data.whyNot(Path.of("/mnt/data/project"))).isEmpty();
    }
}
