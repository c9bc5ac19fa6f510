package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCacheSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCachesRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.ListTagsForResourceRequest;

class WorldFileTest {

    @Test
    void defaultWorldHasTheCachesTheScenariosNeed() {
        SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
        var orders = Fixtures.group(aws, "orders-cache");
        assertEquals("valkey", orders.engine());
        assertEquals("enabled", orders.multiAZAsString());
        assertEquals(List.of("eu-west-1a", "eu-west-1b"), orders.nodeGroups().get(0).nodeGroupMembers().stream()
                .map(m -> m.preferredAvailabilityZone()).toList());
        assertEquals("true", aws.elastiCache().listTagsForResource(ListTagsForResourceRequest.builder()
                .resourceName(orders.arn()).build()).tagList().stream()
                .filter(t -> t.key().equals("cachekeeper:protect")).findFirst().orElseThrow().value());
        var sessions = Fixtures.group(aws, "sessions");
        assertTrue(sessions.clusterEnabled());
        assertEquals(2, sessions.nodeGroups().size());
        var legacy = aws.elastiCache().describeCacheClusters(DescribeCacheClustersRequest.builder()
                .cacheClusterId("legacy-memcache-free").build()).cacheClusters().get(0);
        assertEquals("redis", legacy.engine());
        assertEquals(null, legacy.replicationGroupId());
        assertEquals(1, aws.elastiCache().describeServerlessCaches(DescribeServerlessCachesRequest.builder().build())
                .serverlessCaches().size());
        assertEquals(2, aws.elastiCache().describeServerlessCacheSnapshots(DescribeServerlessCacheSnapshotsRequest
                .builder().serverlessCacheName("catalog").build()).serverlessCacheSnapshots().size());
        var manual = aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().snapshotSource("user")
                .build()).snapshots();
        assertEquals(List.of("orders-before-migration"), manual.stream().map(s -> s.snapshotName()).toList());
        assertEquals(7, aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().snapshotSource("system")
                .build()).snapshots().size());
    }

    @Test
    void aWorldSurvivesARoundTrip(@TempDir Path dir) throws Exception {
        SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
        aws.elastiCache().failover("orders-cache", "0001");
        aws.advance(Duration.ofDays(1)); // new automatic snapshots, an expiry, the failover's recovery event
        String saved = aws.worldSnapshot().toPrettyString();
        Path file = dir.resolve("world.json");
        Files.writeString(file, saved);
        SimulatedAws again = SimulatedAws.fromWorld(file);
        assertEquals(saved, again.worldSnapshot().toPrettyString());
        assertEquals("orders-cache-002", again.elastiCache().primaryOf("orders-cache", "0001"));
    }

    @Test
    void theExampleInTheDocsLoads() throws Exception {
        String doc = Files.readString(Path.of("../../docs/world-file.md"));
        int start = doc.indexOf("```json") + "```json".length();
        SimulatedAws aws = SimulatedAws.fromWorld(doc.substring(start, doc.indexOf("```", start)));
        assertEquals(List.of("automatic.orders-cache-2026-10-30-03-00", "automatic.orders-cache-2026-10-31-03-00",
                "orders-before-migration"), aws.elastiCache().snapshotNames());
        assertEquals("orders-cache-001", aws.elastiCache().primaryOf("orders-cache", "0001"));
    }

    @Test
    void aBadWorldFileSaysWhichFieldOfWhichEntryIsWrong() {
        var e = assertThrows(WorldFileException.class, () -> SimulatedAws.fromWorld("""
                {"replicationGroups": [
                  {"id": "fine"},
                  {"id": "sessions", "engine": "memcached"}
                ]}"""));
        assertEquals("world file: replicationGroups[1] 'sessions': field 'engine' must be one of redis, valkey, "
                + "got 'memcached'", e.getMessage());
        var typo = assertThrows(WorldFileException.class, () -> SimulatedAws.fromWorld("""
                {"replicationGroups": [{"id": "a", "snapshotRetention": 3}]}"""));
        assertTrue(typo.getMessage().startsWith("world file: replicationGroups[0] 'a': field 'snapshotRetention' "
                + "is not a known field here"), typo.getMessage());
        var orphan = assertThrows(WorldFileException.class, () -> SimulatedAws.fromWorld("""
                {"snapshots": [{"source": "automated", "replicationGroupId": "gone"}]}"""));
        assertTrue(orphan.getMessage().contains("automated snapshots are deleted together with their cache"),
                orphan.getMessage());
        var badId = assertThrows(WorldFileException.class, () -> SimulatedAws.fromWorld("""
                {"replicationGroups": [{"id": "bad--id"}]}"""));
        assertTrue(badId.getMessage().contains("field 'id' is not a valid replication group id"), badId.getMessage());
        var badShard = assertThrows(WorldFileException.class, () -> SimulatedAws.fromWorld("""
                {"replicationGroups": [{"id": "g", "clusterMode": true, "shards": [
                   {"id": "0001", "nodes": [{"role": "replica"}]}]}]}"""));
        assertEquals("world file: replicationGroups[0] 'g'.shards[0] '0001': field 'nodes' must have exactly one "
                + "node with role primary, found 0", badShard.getMessage());
        assertThrows(WorldFileException.class, () -> SimulatedAws.fromWorld("{not json"));
    }
}
