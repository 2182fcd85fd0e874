package dev.awssandbox.mcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The partitions, regions (with their names) and per-region service endpoints that ship with the
 * installed AWS CLI (botocore's {@code endpoints.json}): offline, and as complete as the AWS CLI
 * that will run the commands.
 */
final class EndpointData {
    /** A region: its code, its name ("US East (N. Virginia)") and its partition. */
    record Region(String code, String name, String partition) {}

    /** A partition: its code, name, DNS suffix and region codes. */
    record Partition(String code, String name, String dnsSuffix, List<String> regions) {}

    private final Path file;
    private final List<Partition> partitions;
    private final Map<String, Region> regions;
    private final Map<String, List<String>> services;

    private EndpointData(Path file, List<Partition> partitions, Map<String, Region> regions,
                         Map<String, List<String>> services) {
        this.file = file;
        this.partitions = partitions;
        this.regions = regions;
        this.services = services;
    }

    /** Reads {@code endpoints.json} of botocore's data directory. */
    static EndpointData read(Path botocoreData) throws IOException {
        Path file = botocoreData.resolve("endpoints.json");
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Partition> partitions = new ArrayList<>();
        Map<String, Region> regions = new LinkedHashMap<>();
        Map<String, TreeSet<String>> services = new LinkedHashMap<>();
        for (JsonNode p : root.path("partitions").values()) {
            String partition = p.path("partition").asString("");
            List<String> codes = new ArrayList<>();
            for (Map.Entry<String, JsonNode> r : p.path("regions").properties()) {
                codes.add(r.getKey());
                regions.put(r.getKey(), new Region(r.getKey(), r.getValue().path("description").asString(r.getKey()), partition));
                services.put(r.getKey(), new TreeSet<>());
            }
            partitions.add(new Partition(partition, p.path("partitionName").asString(partition),
                    p.path("dnsSuffix").asString(""), List.copyOf(codes)));
            for (Map.Entry<String, JsonNode> s : p.path("services").properties()) {
                boolean regional = s.getValue().path("isRegionalized").asBoolean(true);
                for (String endpoint : s.getValue().path("endpoints").propertyNames()) {
                    if (services.containsKey(endpoint)) {
                        services.get(endpoint).add(s.getKey());
                    }
                }
                if (!regional) { // a global service (iam, route53, ...) answers in every region of its partition
                    codes.forEach(code -> services.get(code).add(s.getKey()));
                }
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        services.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new EndpointData(file, List.copyOf(partitions), regions, frozen);
    }

    Path file() {
        return file;
    }

    List<Partition> partitions() {
        return partitions;
    }

    List<Region> regions() {
        return List.copyOf(regions.values());
    }

    Optional<Region> region(String code) {
        return Optional.ofNullable(regions.get(code));
    }

    /** The services with an endpoint in this region (endpoint prefixes, e.g. ec2, s3, iam). */
    List<String> services(String region) {
        return services.getOrDefault(region, List.of());
    }
}
