package dev.cachekeeper.destroy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The service on its own, for what is awkward to reach through a whole execution. */
class SafeDestroyerTest {

    @Test
    void aRepeatWhileTheFirstSnapshotRunsReusesItInsteadOfFailingOnSnapshotting() {
        Fixture f = new Fixture();
        SafeDestroyer d = f.destroyer();
        DestroyFlow first = d.snapshot(f.request("cachekeeper-request-destroy-delete.json"));
        assertEquals("snapshotting", f.aws.elastiCache().describeReplicationGroups(b -> b.replicationGroupId(
                "orders-cache")).replicationGroups().get(0).status());
        f.aws.advance(Duration.ofMinutes(1));

        DestroyFlow second = d.snapshot(f.request("cachekeeper-request-destroy-delete.json"));

        assertTrue(second.ok(), second.error() + ": " + second.cause());
        assertTrue(second.reused());
        assertEquals(first.snapshotName(), second.snapshotName());
        assertEquals("creating", second.snapshotStatus());
        assertEquals(1, f.calls("CreateSnapshot").size());
    }

    @Test
    void aRepeatJustAcrossTheHourStillReuses() {
        Fixture f = new Fixture();
        f.aws.advanceTo(Instant.parse("2026-11-01T10:55:00Z"));
        SafeDestroyer d = f.destroyer();
        DestroyFlow first = d.snapshot(f.request("cachekeeper-request-destroy-snapshot-only.json"));
        f.aws.advanceTo(Instant.parse("2026-11-01T11:05:00Z"));

        DestroyFlow second = d.snapshot(f.request("cachekeeper-request-destroy-snapshot-only.json"));

        assertTrue(second.reused(), second.toString());
        assertEquals(first.snapshotName(), second.snapshotName());
    }

    @Test
    void aRequestAfterTheWindowTakesAFreshSnapshot() {
        Fixture f = new Fixture();
        f.aws.advanceTo(Instant.parse("2026-11-01T10:05:00Z"));
        SafeDestroyer d = f.destroyer();
        DestroyFlow first = d.snapshot(f.request("cachekeeper-request-destroy-snapshot-only.json"));
        f.aws.advanceTo(Instant.parse("2026-11-01T11:30:00Z"));

        DestroyFlow second = d.snapshot(f.request("cachekeeper-request-destroy-snapshot-only.json"));

        assertFalse(second.reused());
        assertTrue(second.ok(), second.cause());
        assertFalse(first.snapshotName().equals(second.snapshotName()));
    }

    @Test
    void aFailedEarlierSnapshotIsNotReusedAndSaysWhatToDo() {
        Fixture f = new Fixture();
        f.aws.elastiCache().failNextSnapshot();
        SafeDestroyer d = f.destroyer();
        d.snapshot(f.request("cachekeeper-request-destroy-snapshot-only.json"));
        f.aws.advance(Duration.ofMinutes(10));

        DestroyFlow second = d.snapshot(f.request("cachekeeper-request-destroy-snapshot-only.json"));

        assertFalse(second.ok());
        assertEquals(SafeDestroyer.SNAPSHOT_FAILED, second.error());
        assertTrue(second.cause().contains("delete-snapshot"), second.cause());
    }

    @Test
    void aNodeOfAGroupIsRefusedWithTheGroupToAskFor() {
        Fixture f = new Fixture();
        DestroyFlow flow = f.destroyer().snapshot(f.request("cachekeeper-request-destroy-delete.json",
                d -> d.put("cacheKind", "cache-cluster").put("cacheId", "orders-cache-001")));

        assertEquals(SafeDestroyer.INVALID_REQUEST, flow.error());
        assertTrue(flow.cause().contains("cacheId \"orders-cache\""), flow.cause());
        assertTrue(f.mutatingCalls().isEmpty());
    }

    @Test
    void deleteRefusesWhenTheSnapshotIsNotAvailable() {
        Fixture f = new Fixture();
        SafeDestroyer d = f.destroyer();
        DestroyFlow flow = d.snapshot(f.request("cachekeeper-request-destroy-delete.json"));
        // a flow that claims "available" while the snapshot is still creating: the delete re-reads it
        DestroyFlow forged = Json.MAPPER.convertValue(((ObjectNode) Json.MAPPER.valueToTree(flow))
                .put("snapshotStatus", "available"), DestroyFlow.class);

        DestroyFlow after = d.delete(forged);

        assertFalse(after.ok());
        assertEquals(SafeDestroyer.SNAPSHOT_VANISHED, after.error());
        assertTrue(f.calls("DeleteReplicationGroup").isEmpty());
    }

    @Test
    void waitsGrowByHalfUpToFiveMinutesAndNeverPassTheDeadline() {
        assertEquals(30, SafeDestroyer.nextWait(0, 7200));
        assertEquals(45, SafeDestroyer.nextWait(30, 7200));
        assertEquals(300, SafeDestroyer.nextWait(250, 7200));
        assertEquals(12, SafeDestroyer.nextWait(250, 12));
        assertEquals(1, SafeDestroyer.nextWait(30, 0));
    }

    @Test
    void tagValuesKeepOnlyWhatElastiCacheAccepts() {
        assertEquals("arn:aws:iam::123456789012:role/ci", SafeDestroyer.tagValue("arn:aws:iam::123456789012:role/ci"));
        assertEquals("jane _ ops_", SafeDestroyer.tagValue("jane & ops!"));
    }
}
