package dev.cachekeeper.simulation;

import static dev.cachekeeper.simulation.Fixtures.group;
import static dev.cachekeeper.simulation.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

class ElastiCacheLifecycleTest {

    @Test
    void groupIsCreatingUntilTheClockPassesTheCreationTime() {
        SimulatedAws aws = new SimulatedAws();
        var created = aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder()
                .replicationGroupId("Orders-Cache").replicationGroupDescription("d").engine("valkey")
                .numCacheClusters(2).automaticFailoverEnabled(true).multiAZEnabled(true).build());
        assertEquals("orders-cache", created.replicationGroup().replicationGroupId(), "ids are stored lower-case");
        assertEquals("creating", created.replicationGroup().status());
        aws.advance(Duration.ofMinutes(9));
        assertEquals("creating", group(aws, "orders-cache").status());
        aws.advance(Duration.ofMinutes(1));
        var g = group(aws, "orders-cache");
        assertEquals("available", g.status());
        assertEquals(List.of("orders-cache-001", "orders-cache-002"), g.memberClusters());
        List<NodeGroupMember> members = g.nodeGroups().get(0).nodeGroupMembers();
        assertEquals("primary", members.get(0).currentRole());
        assertEquals("replica", members.get(1).currentRole());
        assertFalse(members.get(0).preferredAvailabilityZone().equals(members.get(1).preferredAvailabilityZone()),
                "members are spread over AZs");
        assertTrue(g.nodeGroups().get(0).primaryEndpoint().address().endsWith(".euw1.cache.amazonaws.com"));
    }

    @Test
    void clusterModeEnabledGroupHasShardsNamedLikeElastiCache() {
        SimulatedAws aws = new SimulatedAws();
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder()
                .replicationGroupId("sessions").replicationGroupDescription("d").numNodeGroups(2)
                .replicasPerNodeGroup(1).build());
        aws.advance(Duration.ofHours(1));
        var g = group(aws, "sessions");
        assertTrue(g.clusterEnabled());
        assertEquals(List.of("sessions-0001-001", "sessions-0001-002", "sessions-0002-001", "sessions-0002-002"),
                g.memberClusters());
        assertEquals("0-8191", g.nodeGroups().get(0).slots());
        assertNull(g.nodeGroups().get(0).nodeGroupMembers().get(0).currentRole(),
                "ElastiCache reports roles only for cluster-mode-disabled groups");
        assertTrue(g.configurationEndpoint().address().startsWith("sessions.clustercfg."));
    }

    @Test
    void nextCreationCanEndInCreateFailed() {
        SimulatedAws aws = new SimulatedAws();
        aws.elastiCache().failNextCreation();
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder()
                .replicationGroupId("restore-1").replicationGroupDescription("d").build());
        aws.advance(Duration.ofHours(1));
        assertEquals("create-failed", group(aws, "restore-1").status());
    }

    @Test
    void groupShowsSnapshottingWhileItsSnapshotIsCreated() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        Snapshot s = aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders")
                .snapshotName("Before-Upgrade").build()).snapshot();
        assertEquals("before-upgrade", s.snapshotName(), "names are stored lower-case");
        assertEquals("creating", s.snapshotStatus());
        assertEquals("manual", s.snapshotSource());
        assertEquals("snapshotting", group(aws, "orders").status());
        assertEquals("orders-002", group(aws, "orders").snapshottingClusterId(), "taken from the replica");
        aws.advance(aws.elastiCache().timings().snapshot());
        assertEquals("available", snapshot(aws, "before-upgrade").snapshotStatus());
        assertEquals("available", group(aws, "orders").status());
        assertTrue(aws.elastiCache().events().stream().anyMatch(e -> e.message().equals(
                "Snapshot succeeded for snapshot with ID 'before-upgrade' of cache cluster with ID 'orders-002'")));
    }

    @Test
    void dailyAutomaticSnapshotsAreNamedByWindowAndExpireAfterRetention() {
        SimulatedAws aws = Fixtures.withGroup("orders", 2); // created at 00:10; window 03:00-04:00
        aws.advance(Duration.ofHours(4));
        List<String> names = aws.elastiCache().snapshotNames();
        assertEquals(List.of("automatic.orders-2026-11-01-03-00"), names);
        Snapshot s = snapshot(aws, "automatic.orders-2026-11-01-03-00");
        assertEquals("automated", s.snapshotSource());
        assertEquals(Instant.parse("2026-11-01T03:00:00Z"), s.nodeSnapshots().get(0).snapshotCreateTime());
        aws.advance(Duration.ofDays(1));
        assertEquals(2, aws.elastiCache().snapshotNames().size());
        aws.advance(Duration.ofDays(1));
        // Retention 2 days: the first one (from 11-01 03:00) is gone at 11-03 03:00, the newest ones remain.
        assertEquals(List.of("automatic.orders-2026-11-02-03-00", "automatic.orders-2026-11-03-03-00"),
                aws.elastiCache().snapshotNames());
    }

    @Test
    void deletingAGroupRemovesItsAutomaticSnapshotsButKeepsManualAndFinalOnes() {
        SimulatedAws aws = Fixtures.withGroup("orders", 3);
        aws.advance(Duration.ofDays(2));
        aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders")
                .snapshotName("keep-me").build());
        aws.advance(Duration.ofMinutes(10));
        assertEquals(3, aws.elastiCache().snapshotNames().size());
        var deleting = aws.elastiCache().deleteReplicationGroup(DeleteReplicationGroupRequest.builder()
                .replicationGroupId("orders").finalSnapshotIdentifier("orders-final").build()).replicationGroup();
        assertEquals("deleting", deleting.status());
        Snapshot fin = snapshot(aws, "orders-final");
        assertEquals("orders-001", fin.cacheClusterId(), "the final snapshot is taken from the primary");
        assertEquals("manual", fin.snapshotSource());
        aws.advance(Duration.ofMinutes(10));
        assertThrows(ReplicationGroupNotFoundException.class, () -> group(aws, "orders"));
        assertEquals(List.of("keep-me", "orders-final"), aws.elastiCache().snapshotNames());
        assertEquals(0, aws.elastiCache().describeCacheClusters(DescribeCacheClustersRequest.builder().build())
                .cacheClusters().size());
    }

    @Test
    void failedSnapshotIsReportedAsFailedWithItsEventAndNotification() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        String topic = aws.sns().topic("ec-events");
        aws.elastiCache().setNotificationTopic("orders", topic);
        aws.elastiCache().failNextSnapshot("orders");
        aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders")
                .snapshotName("x").build());
        aws.advance(Duration.ofMinutes(5));
        assertEquals("failed", snapshot(aws, "x").snapshotStatus());
        assertEquals("{\"ElastiCache:SnapshotFailed\":\"orders-002\"}", aws.sns().published(topic).get(0).message());
        assertEquals("elasticache", aws.sns().published(topic).get(0).publishedBy());
    }

    @Test
    void describeCacheClustersShowsTheNotificationTopicAndItsStatus() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        String topic = aws.sns().topic("ec-events");
        aws.elastiCache().setNotificationTopic("orders", topic);
        var c = aws.elastiCache().describeCacheClusters(DescribeCacheClustersRequest.builder()
                .cacheClusterId("orders-001").showCacheNodeInfo(true).build()).cacheClusters().get(0);
        assertEquals(topic, c.notificationConfiguration().topicArn());
        assertEquals("active", c.notificationConfiguration().topicStatus());
        assertEquals("orders", c.replicationGroupId());
        assertEquals(1, c.cacheNodes().size());
        aws.sns().encryptTopic(topic, "alias/aws/sns");
        var again = aws.elastiCache().describeCacheClusters(DescribeCacheClustersRequest.builder()
                .cacheClusterId("orders-001").build()).cacheClusters().get(0);
        assertEquals("inactive", again.notificationConfiguration().topicStatus(), "encrypted topics go inactive");
    }

    @Test
    void restoreTakesSettingsFromTheSnapshot() {
        SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
        var g = aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder()
                .replicationGroupId("orders-restored").replicationGroupDescription("restore")
                .snapshotName("orders-before-migration").build()).replicationGroup();
        assertEquals("valkey", g.engine());
        assertEquals("cache.r7g.large", g.cacheNodeType());
        var wrongEngine = assertThrows(RuntimeException.class, () -> aws.elastiCache().createReplicationGroup(
                CreateReplicationGroupRequest.builder().replicationGroupId("x").replicationGroupDescription("x")
                        .engine("redis").snapshotName("orders-before-migration").build()));
        assertEquals("InvalidParameterCombination", Fixtures.errorCode(wrongEngine));
        assertEquals(2, aws.elastiCache().describeReplicationGroups(DescribeReplicationGroupsRequest.builder()
                .build()).replicationGroups().stream().filter(r -> r.status().equals("available")).count());
        assertEquals(0, aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder()
                .replicationGroupId("orders-restored").build()).snapshots().size());
    }
}
