package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;

class SmokeTest {
    @Test
    void defaultWorldLoads() {
        SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
        var groups = aws.elastiCache().describeReplicationGroups(DescribeReplicationGroupsRequest.builder().build());
        assertEquals(2, groups.replicationGroups().size());
        var snaps = aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().build());
        System.out.println(snaps.snapshots().stream().map(s -> s.snapshotName() + " " + s.snapshotStatus()).toList());
        System.out.println(aws.worldSnapshot().toPrettyString().length());
    }
}
