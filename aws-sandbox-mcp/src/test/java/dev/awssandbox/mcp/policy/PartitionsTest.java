package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.HostEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The region names and AWS domains the policy accepts are those of the partitions in the
 * installed botocore's {@code partitions.json}: a partition added or changed there fails this test.
 */
class PartitionsTest {
    @Test
    void regionsAndDomainsAreThoseOfBotocoresPartitions() throws Exception {
        Optional<Path> data = AwsCli.locate(HostEnvironment.current());
        assumeTrue(data.isPresent(), "no AWS CLI installed");
        JsonNode partitions = JsonMapper.builder().build().readTree(Files.readString(data.get().resolve("partitions.json")))
                .path("partitions");
        assertThat(partitions.size()).isGreaterThan(1);
        Set<String> regexes = new TreeSet<>();
        Set<String> domains = new TreeSet<>();
        Set<String> pseudo = new TreeSet<>();
        for (JsonNode p : partitions.values()) {
            regexes.add(p.path("regionRegex").asString());
            domains.add("." + p.path("outputs").path("dnsSuffix").asString());
            domains.add("." + p.path("outputs").path("dualStackDnsSuffix").asString());
            for (String region : p.path("regions").propertyNames()) {
                assertThat(Regions.valid(region)).as("a region of %s: %s", p.path("id").asString(), region).isTrue();
                if (!region.matches(p.path("regionRegex").asString().replace("\\w", "[a-z0-9]"))) {
                    pseudo.add(region);
                }
            }
        }
        assertThat(new TreeSet<>(Regions.PARTITION_REGIONS)).isEqualTo(regexes);
        assertThat(new TreeSet<>(Regions.PSEUDO_REGIONS)).isEqualTo(pseudo);
        assertThat(new TreeSet<>(Endpoints.AWS_DOMAINS)).isEqualTo(domains);
    }
}
