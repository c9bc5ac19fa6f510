package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateServerlessCacheSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteServerlessCacheRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCacheSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotAlreadyExistsException;

class ServerlessTest {
    @Test
    void serverlessSnapshotsPublishToEventBridgeAndAutomaticOnesDieWithTheCache() {
        SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
        aws.elastiCache().createServerlessCacheSnapshot(CreateServerlessCacheSnapshotRequest.builder()
                .serverlessCacheName("catalog").serverlessCacheSnapshotName("catalog-manual").build());
        assertThrows(ServerlessCacheSnapshotAlreadyExistsException.class, () -> aws.elastiCache()
                .createServerlessCacheSnapshot(CreateServerlessCacheSnapshotRequest.builder()
                        .serverlessCacheName("catalog").serverlessCacheSnapshotName("catalog-manual").build()));
        aws.advance(Duration.ofMinutes(5));
        var created = aws.eventBridge().events("Snapshot Created");
        assertEquals(1, created.size());
        assertEquals("aws.elasticache", created.get(0).source());
        assertTrue(created.get(0).detail().contains("\"SourceIdentifier\":\"catalog-manual\""));
        assertTrue(aws.eventBridge().putEvents().isEmpty(), "AWS's events are not PutEvents calls");

        aws.elastiCache().deleteServerlessCache(DeleteServerlessCacheRequest.builder().serverlessCacheName("catalog")
                .finalSnapshotName("catalog-final").build());
        aws.advance(Duration.ofMinutes(10));
        var left = aws.elastiCache().describeServerlessCacheSnapshots(DescribeServerlessCacheSnapshotsRequest.builder()
                .build()).serverlessCacheSnapshots();
        assertEquals(java.util.List.of("catalog-manual", "catalog-final"),
                left.stream().map(s -> s.serverlessCacheSnapshotName()).toList());
        assertEquals(1, aws.eventBridge().events("Cache Deleted").size());
        assertThrows(ServerlessCacheNotFoundException.class, () -> aws.elastiCache().createServerlessCacheSnapshot(
                CreateServerlessCacheSnapshotRequest.builder().serverlessCacheName("catalog")
                        .serverlessCacheSnapshotName("late").build()));
    }
}
