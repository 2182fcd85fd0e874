package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red team, round 46, F5: a local repository Maven keeps elsewhere ({@code <localRepository>} in
 * {@code ~/.m2/settings.xml}, {@code -Dmaven.repo.local}) is part of a Maven checkout's installation, as {@code ~/.m2}
 * is: the launcher's rebuild runs the plugins and jars there.
 */
class MavenLocalRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void everyPlaceMavenIsToldOfItsLocalRepositoryIsRead() throws Exception {
        Path m2 = Files.createDirectories(dir.resolve("m2"));
        Path checkout = Files.createDirectories(dir.resolve("checkout/.mvn")).getParent();
        Files.writeString(m2.resolve("settings.xml"), """
                <?xml version="1.0"?>
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <!-- <localRepository>/commented</localRepository> -->
                  <localRepository>${env.DATA}/mrepo</localRepository>
                </settings>
                """);
        Files.writeString(checkout.resolve(".mvn/maven.config"), "-B\n--settings=ci/settings.xml\n");
        Files.createDirectories(checkout.resolve("ci"));
        Files.writeString(checkout.resolve("ci/settings.xml"), "<settings><localRepository>.repo</localRepository></settings>");
        Files.writeString(checkout.resolve(".mvn/jvm.config"), "-Xmx1g -Dmaven.repo.local=/srv/jvm-repo\n");

        List<Path> repositories = MavenLocalRepository.elsewhere(List.of(m2), List.of(checkout),
                Map.of("DATA", "/data", "MAVEN_OPTS", "-Dmaven.repo.local=\"/opt/m r\"", "MAVEN_ARGS", "-s /etc/mvn.xml"));

        assertThat(repositories).containsExactlyInAnyOrder(Path.of("/data/mrepo"), checkout.resolve(".repo"),
                Path.of("/srv/jvm-repo"), Path.of("/opt/m r"));
    }

    /** Controls: no settings, a settings file without the element, one that declares an entity (not expanded). */
    @Test
    void nothingIsNamedWhereMavenIsToldNothing() throws Exception {
        Path m2 = Files.createDirectories(dir.resolve("m2"));
        assertThat(MavenLocalRepository.elsewhere(List.of(m2), List.of(), Map.of())).isEmpty();
        Files.writeString(m2.resolve("settings.xml"), "<settings><offline>true</offline></settings>");
        assertThat(MavenLocalRepository.elsewhere(List.of(m2), List.of(), Map.of())).isEmpty();
        Files.writeString(dir.resolve("secret"), "/leaked");
        assertThat(MavenLocalRepository.localRepository("<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"file://"
                + dir.resolve("secret") + "\">]><settings><localRepository>&x;</localRepository></settings>"))
                .doesNotContain("/leaked");
    }
}
