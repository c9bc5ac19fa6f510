package dev.cachekeeper.simulation;

import static dev.cachekeeper.simulation.Fixtures.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.elasticache.model.CopySnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterValueException;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidSnapshotStateException;
import software.amazon.awssdk.services.elasticache.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.elasticache.model.RemoveTagsFromResourceRequest;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.SnapshotNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SnapshotQuotaExceededException;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.awssdk.services.elasticache.model.TagNotFoundException;
import software.amazon.awssdk.services.elasticache.model.TagQuotaPerResourceExceededException;

class SnapshotApiTest {
    private static CreateSnapshotRequest snap(String group, String name) {
        return CreateSnapshotRequest.builder().replicationGroupId(group).snapshotName(name).build();
    }

    /** Takes {@code n} manual snapshots, letting each finish (a group takes one at a time). */
    private static void takeSnapshots(SimulatedAws aws, String group, int n) {
        for (int i = 0; i < n; i++) {
            aws.elastiCache().createSnapshot(snap(group, "s-" + i));
            aws.advance(Duration.ofMinutes(5));
        }
    }

    @Test
    void pagesAreTwentyToFiftyAndMarkersWalkTheWholeList() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.elastiCache().setManualSnapshotQuota(100);
        takeSnapshots(aws, "orders", 45);
        for (int bad : new int[]{19, 51}) {
            var e = assertThrows(InvalidParameterValueException.class, () -> aws.elastiCache().describeSnapshots(
                    DescribeSnapshotsRequest.builder().maxRecords(bad).build()));
            assertEquals("InvalidParameterValue", errorCode(e));
            assertEquals(400, e.statusCode());
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            DescribeSnapshotsResponse r = aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder()
                    .maxRecords(20).marker(marker).build());
            r.snapshots().forEach(s -> seen.add(s.snapshotName()));
            marker = r.marker();
            pages++;
        } while (marker != null);
        assertEquals(3, pages);
        assertEquals(45, seen.size());
        assertEquals(45, seen.stream().distinct().count());
        // The SDK paginator walks the same pages.
        assertEquals(45, aws.elastiCache().describeSnapshotsPaginator(DescribeSnapshotsRequest.builder().maxRecords(20)
                .build()).snapshots().stream().count());
    }

    @Test
    void requestSaysSystemOrUserWhileResponseSaysAutomatedOrManual() {
        SimulatedAws aws = Fixtures.withGroup("orders", 5);
        aws.advance(Duration.ofDays(2));
        aws.elastiCache().createSnapshot(snap("orders", "mine"));
        var system = aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().snapshotSource("system")
                .build()).snapshots();
        var user = aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().snapshotSource("user")
                .build()).snapshots();
        assertEquals(2, system.size());
        assertTrue(system.stream().allMatch(s -> s.snapshotSource().equals("automated")));
        assertEquals(List.of("mine"), user.stream().map(s -> s.snapshotName()).toList());
        assertEquals("manual", user.get(0).snapshotSource());
        assertThrows(InvalidParameterValueException.class, () -> aws.elastiCache().describeSnapshots(
                DescribeSnapshotsRequest.builder().snapshotSource("manual").build()));
    }

    @Test
    void describeByNameOfAMissingSnapshotIsSnapshotNotFound() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        var e = assertThrows(SnapshotNotFoundException.class, () -> aws.elastiCache().describeSnapshots(
                DescribeSnapshotsRequest.builder().snapshotName("nope").build()));
        assertEquals("SnapshotNotFoundFault", errorCode(e));
        assertEquals(404, e.statusCode());
    }

    @Test
    void createSnapshotFaults() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.elastiCache().createSnapshot(snap("orders", "one"));
        // Still snapshotting: a second snapshot of the group is refused.
        var busy = assertThrows(InvalidReplicationGroupStateException.class,
                () -> aws.elastiCache().createSnapshot(snap("orders", "two")));
        assertEquals("InvalidReplicationGroupState", errorCode(busy));
        aws.advance(Duration.ofMinutes(5));
        var dup = assertThrows(SnapshotAlreadyExistsException.class,
                () -> aws.elastiCache().createSnapshot(snap("orders", "ONE")));
        assertEquals("SnapshotAlreadyExistsFault", errorCode(dup));
        var missing = assertThrows(ReplicationGroupNotFoundException.class,
                () -> aws.elastiCache().createSnapshot(snap("nope", "x")));
        assertEquals("ReplicationGroupNotFoundFault", errorCode(missing));
        assertEquals(404, missing.statusCode());
        assertThrows(InvalidParameterValueException.class,
                () -> aws.elastiCache().createSnapshot(snap("orders", "automatic.mine")));
        var both = assertThrows(RuntimeException.class, () -> aws.elastiCache().createSnapshot(CreateSnapshotRequest
                .builder().replicationGroupId("orders").cacheClusterId("orders-001").snapshotName("y").build()));
        assertEquals("InvalidParameterCombination", errorCode(both));
    }

    @Test
    void clusterModeEnabledGroupsAreSnapshottedAtGroupLevelOnly() {
        SimulatedAws aws = new SimulatedAws();
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder().replicationGroupId("sessions")
                .replicationGroupDescription("d").numNodeGroups(3).replicasPerNodeGroup(1).build());
        aws.advance(Duration.ofHours(1));
        assertThrows(InvalidParameterValueException.class, () -> aws.elastiCache().createSnapshot(
                CreateSnapshotRequest.builder().cacheClusterId("sessions-0001-001").snapshotName("x").build()));
        var s = aws.elastiCache().createSnapshot(snap("sessions", "all-shards")).snapshot();
        assertEquals(3, s.numNodeGroups());
        assertEquals(3, s.nodeSnapshots().size());
        assertNull(s.cacheClusterId());
        aws.advance(Duration.ofMinutes(5));
        var withConfig = aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder()
                .snapshotName("all-shards").showNodeGroupConfig(true).build()).snapshots().get(0);
        assertNotNull(withConfig.nodeSnapshots().get(0).nodeGroupConfiguration());
        assertEquals("0001", withConfig.nodeSnapshots().get(0).nodeGroupConfiguration().nodeGroupId());
    }

    @Test
    void manualSnapshotQuotaIsPerCachePerRollingDay() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        takeSnapshots(aws, "orders", 20);
        var e = assertThrows(SnapshotQuotaExceededException.class,
                () -> aws.elastiCache().createSnapshot(snap("orders", "one-too-many")));
        assertEquals("SnapshotQuotaExceededFault", errorCode(e));
        aws.advance(Duration.ofDays(1));
        aws.elastiCache().createSnapshot(snap("orders", "next-day"));
    }

    @Test
    void copyIsAManualSnapshotAndTheSourceShowsCopying() {
        SimulatedAws aws = Fixtures.withGroup("orders", 3);
        aws.advance(Duration.ofHours(4));
        String auto = aws.elastiCache().snapshotNames().get(0);
        var copy = aws.elastiCache().copySnapshot(CopySnapshotRequest.builder().sourceSnapshotName(auto)
                .targetSnapshotName("CK-Orders-Copy").tags(Tag.builder().key("cachekeeper:managed").value("true")
                        .build()).build()).snapshot();
        assertEquals("ck-orders-copy", copy.snapshotName());
        assertEquals("manual", copy.snapshotSource());
        assertEquals("creating", copy.snapshotStatus());
        assertEquals("copying", Fixtures.snapshot(aws, auto).snapshotStatus());
        aws.advance(Duration.ofMinutes(3));
        assertEquals("available", Fixtures.snapshot(aws, "ck-orders-copy").snapshotStatus());
        assertEquals("available", Fixtures.snapshot(aws, auto).snapshotStatus());
        assertEquals("true", aws.elastiCache().tagsOf(aws.elastiCache().arn("snapshot", "ck-orders-copy"))
                .get("cachekeeper:managed"));
        assertThrows(SnapshotAlreadyExistsException.class, () -> aws.elastiCache().copySnapshot(CopySnapshotRequest
                .builder().sourceSnapshotName(auto).targetSnapshotName("ck-orders-copy").build()));
        // The copy outlives the group; the automatic snapshot does not.
        aws.elastiCache().deleteReplicationGroup(software.amazon.awssdk.services.elasticache.model
                .DeleteReplicationGroupRequest.builder().replicationGroupId("orders").build());
        aws.advance(Duration.ofMinutes(10));
        assertEquals(List.of("ck-orders-copy"), aws.elastiCache().snapshotNames());
    }

    @Test
    void deleteSnapshotGoesThroughDeleting() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.elastiCache().createSnapshot(snap("orders", "x"));
        assertThrows(InvalidSnapshotStateException.class, () -> aws.elastiCache().deleteSnapshot(
                DeleteSnapshotRequest.builder().snapshotName("x").build()), "cannot delete while creating");
        aws.advance(Duration.ofMinutes(5));
        assertEquals("deleting", aws.elastiCache().deleteSnapshot(DeleteSnapshotRequest.builder().snapshotName("x")
                .build()).snapshot().snapshotStatus());
        aws.advance(Duration.ofMinutes(1));
        assertTrue(aws.elastiCache().snapshotNames().isEmpty());
        assertThrows(SnapshotNotFoundException.class, () -> aws.elastiCache().deleteSnapshot(
                DeleteSnapshotRequest.builder().snapshotName("x").build()));
    }

    @Test
    void tagsFollowElastiCacheArnsAndTheFiftyTagLimit() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        String arn = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:orders";
        List<Tag> fifty = IntStream.range(0, 50).mapToObj(i -> Tag.builder().key("k" + i).value("v").build()).toList();
        aws.elastiCache().addTagsToResource(AddTagsToResourceRequest.builder().resourceName(arn).tags(fifty).build());
        // Overwriting an existing key does not add a tag.
        aws.elastiCache().addTagsToResource(AddTagsToResourceRequest.builder().resourceName(arn)
                .tags(Tag.builder().key("k0").value("w").build()).build());
        var e = assertThrows(TagQuotaPerResourceExceededException.class, () -> aws.elastiCache().addTagsToResource(
                AddTagsToResourceRequest.builder().resourceName(arn).tags(Tag.builder().key("k50").value("v")
                        .build()).build()));
        assertEquals("TagQuotaPerResourceExceeded", errorCode(e));
        assertEquals(50, aws.elastiCache().listTagsForResource(ListTagsForResourceRequest.builder().resourceName(arn)
                .build()).tagList().size());
        assertThrows(TagNotFoundException.class, () -> aws.elastiCache().removeTagsFromResource(
                RemoveTagsFromResourceRequest.builder().resourceName(arn).tagKeys("missing").build()));
        var badArn = assertThrows(RuntimeException.class, () -> aws.elastiCache().listTagsForResource(
                ListTagsForResourceRequest.builder().resourceName("arn:aws:elasticache:us-east-1:123456789012:"
                        + "replicationgroup:orders").build()));
        assertEquals("InvalidARN", errorCode(badArn));
        var gone = assertThrows(RuntimeException.class, () -> aws.elastiCache().listTagsForResource(
                ListTagsForResourceRequest.builder().resourceName(arn.replace("orders", "other")).build()));
        assertEquals("ReplicationGroupNotFoundFault", errorCode(gone));
        var tooManyOnCreate = assertThrows(TagQuotaPerResourceExceededException.class, () -> aws.elastiCache()
                .createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders").snapshotName("t")
                        .tags(IntStream.range(0, 51).mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
                                .toList()).build()));
        assertNotNull(tooManyOnCreate);
        assertTrue(aws.elastiCache().snapshotNames().isEmpty(), "a refused create leaves nothing behind");
    }
}
