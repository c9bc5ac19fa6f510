package dev.cachekeeper.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.event.CacheKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.elasticache.model.DataTieringStatus;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshot;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

class CacheSnapshotTest {
    static final String AUTOMATIC = "automatic.orders-cache-2026-11-20-04-30";
    static final Instant BACKUP_TIME = Instant.parse("2026-11-20T04:30:00Z");

    private static Snapshot.Builder node(String name, String source) {
        return Snapshot.builder().snapshotName(name).replicationGroupId("orders-cache").snapshotSource(source);
    }

    private static ServerlessCacheSnapshot.Builder serverless(String name, String type) {
        return ServerlessCacheSnapshot.builder().serverlessCacheSnapshotName(name).snapshotType(type)
                .serverlessCacheConfiguration(c -> c.serverlessCacheName("catalog"));
    }

    // ---- when its data was taken ----

    @Test
    void anAutomaticSnapshotElastiCacheHasNotDatedYetIsDatedByItsName() {
        CacheSnapshot s = CacheSnapshot.of(node(AUTOMATIC, "automated").snapshotStatus("creating")
                .nodeSnapshots(NodeSnapshot.builder().cacheClusterId("orders-cache-001").build()).build());

        assertEquals(BACKUP_TIME, s.taken());
        assertEquals(AUTOMATIC + " (automatic, creating, taken 2026-11-20T04:30:00Z)", s.describe());
    }

    @Test
    void anAutomaticServerlessSnapshotWithoutACreateTimeIsDatedByItsNameToo() {
        CacheSnapshot s = CacheSnapshot.of(serverless("automatic.catalog-2026-10-30-04-00", "automated").build());

        assertEquals(Instant.parse("2026-10-30T04:00:00Z"), s.taken());
    }

    @Test
    void theTimeElastiCacheReportsWinsOverTheName() {
        Instant first = Instant.parse("2026-11-20T04:41:00Z");
        CacheSnapshot s = CacheSnapshot.of(node(AUTOMATIC, "automated").nodeSnapshots(
                NodeSnapshot.builder().snapshotCreateTime(first.plusSeconds(60)).build(),
                NodeSnapshot.builder().snapshotCreateTime(first).build()).build());

        assertEquals(first, s.taken(), "the earliest node snapshot time");
    }

    @Test
    void aManualSnapshotIsNotDatedByATimeItsOwnerPutInItsName() {
        CacheSnapshot s = CacheSnapshot.of(node("orders-before-2026-11-20-04-30", "manual").build());

        assertNull(s.taken());
    }

    @Test
    void aNameThatIsNotATimeDatesNothing() {
        assertNull(CacheSnapshot.of(node("automatic.orders-cache-2026-13-40-04-30", "automated").build()).taken());
        assertNull(CacheSnapshot.of(node("automatic.orders-cache", "automated").build()).taken());
    }

    // ---- manual or automatic ----

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"manual, true", "MANUAL, true", "automated, false", "system, false",
            "null, false"})
    void onlyWhatElastiCacheCallsManualIsManualForBothKinds(String reported, boolean manual) {
        CacheSnapshot nodeBased = CacheSnapshot.of(node("s", reported).build());
        CacheSnapshot ofServerless = CacheSnapshot.of(serverless("s", reported).build());

        // The delete audit counts on manual() snapshots; the archiver copies automatic() ones: never both.
        assertEquals(manual, nodeBased.manual());
        assertEquals(!manual, nodeBased.automatic());
        assertEquals(manual, ofServerless.manual());
        assertEquals(!manual, ofServerless.automatic());
    }

    // ---- which cache ----

    @Test
    void aNodeSnapshotOfAGroupMemberIsFiledUnderTheGroup() {
        CacheSnapshot s = CacheSnapshot.of(node("n", "manual").cacheClusterId("orders-cache-002")
                .dataTiering(DataTieringStatus.ENABLED).build());

        assertEquals(CacheKind.REPLICATION_GROUP, s.cacheKind());
        assertEquals("orders-cache", s.cacheId());
        assertEquals("orders-cache-002", s.nodeId());
        assertTrue(s.dataTiering());
        assertFalse(s.serverless());
    }

    @Test
    void aStandaloneClustersSnapshotIsFiledUnderTheCluster() {
        CacheSnapshot s = CacheSnapshot.of(Snapshot.builder().snapshotName("c").cacheClusterId("legacy")
                .snapshotSource("manual").build());

        assertEquals(CacheKind.CACHE_CLUSTER, s.cacheKind());
        assertEquals("legacy", s.cacheId());
        assertNull(s.nodeId());
        assertFalse(s.dataTiering());
    }

    @Test
    void aServerlessSnapshotIsFiledUnderItsCache() {
        CacheSnapshot s = CacheSnapshot.of(serverless("c", "manual").status("available").build());

        assertEquals(CacheKind.SERVERLESS_CACHE, s.cacheKind());
        assertEquals("catalog", s.cacheId());
        assertTrue(s.serverless());
        assertTrue(s.available());
    }
}
