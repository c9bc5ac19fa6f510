package dev.cachekeeper.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.Origin;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotArchiverTest {
    static final String ORDERS_TODAY = "automatic.orders-cache-2026-11-21-04-30";
    static final String SESSIONS_TODAY = "automatic.sessions-2026-11-21-03-00";

    private static CacheEvent completed(CacheKind kind, String cacheId, String node, String snapshot) {
        return CacheEvent.builder(kind, cacheId, ArchiveWorld.NOW, Origin.SNS).nodeId(node).snapshotName(snapshot)
                .dedupKey("k-" + cacheId + "-" + snapshot).build();
    }

    private static long okCalls(SimulatedAws aws, String op) {
        return aws.callLog().of(op).stream().filter(ApiCall::ok).count();
    }

    @Test
    void eventCopiesAnAutomaticSnapshotWithOurTagsAndTheCachesTags() {
        SimulatedAws aws = new ArchiveWorld().build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());

        Map<String, Object> out = archiver.archive(completed(CacheKind.REPLICATION_GROUP, "orders-cache",
                "orders-cache-001", ORDERS_TODAY), false);

        String copy = "cachekeeper-archive-automatic-orders-cache-2026-11-21-04-30";
        assertEquals("copied", out.get("outcome"));
        assertEquals(copy, out.get("copy"));
        assertTrue(aws.elastiCache().snapshotNames().contains(copy));
        Map<String, String> tags = aws.elastiCache().tagsOf(ArchiveWorld.arn("snapshot", copy));
        assertEquals("true", tags.get("cachekeeper:managed"));
        assertEquals("archive", tags.get("cachekeeper:reason"));
        assertEquals(ORDERS_TODAY, tags.get("cachekeeper:source-snapshot"));
        assertEquals("orders-cache", tags.get("cachekeeper:source-cache"));
        assertEquals("automatic", tags.get(SnapshotArchiver.ARCHIVED_FROM));
        assertEquals("2027-02-19T04:30:00Z", tags.get("cachekeeper:expires"), "90 days from when the data was taken");
        assertEquals(ArchiveWorld.NOW.toString(), tags.get("cachekeeper:created"));
        assertEquals("orders", tags.get("team"), "the cache's own tags travel with the copy");
    }

    @Test
    void aRepeatedEventFindsTheExistingCopy() {
        SimulatedAws aws = new ArchiveWorld().build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());
        CacheEvent e = completed(CacheKind.REPLICATION_GROUP, "orders-cache", "orders-cache-001", ORDERS_TODAY);

        archiver.archive(e, false);
        aws.advance(Duration.ofMinutes(10));
        Map<String, Object> second = archiver.archive(e, false);
        Map<String, Object> third = archiver.archive(e, false);

        assertEquals("already copied", second.get("outcome"));
        assertEquals("already copied", third.get("outcome"));
        assertEquals(1, okCalls(aws, "CopySnapshot"));
        assertEquals(1, aws.elastiCache().snapshotNames().stream().filter(n -> n.startsWith("cachekeeper-")).count());
    }

    @Test
    void aSnapshotWithOurCopysNameThatIsNotOursIsAConflictNotACopy() {
        SimulatedAws aws = new ArchiveWorld()
                .manual(SnapshotArchiver.copyName(ORDERS_TODAY), "orders-cache", 0, Map.of("owner", "bob")).build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());

        try {
            archiver.archive(completed(CacheKind.REPLICATION_GROUP, "orders-cache", null, ORDERS_TODAY), false);
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("not cachekeeper's copy"), expected.getMessage());
        }
        assertEquals(Map.of("owner", "bob"), aws.elastiCache().tagsOf(ArchiveWorld.arn("snapshot",
                SnapshotArchiver.copyName(ORDERS_TODAY))), "the stranger's snapshot is left as it was");
    }

    @Test
    void serverlessEventCopiesWithTheServerlessApi() {
        SimulatedAws aws = new ArchiveWorld().build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());

        Map<String, Object> out = archiver.archive(completed(CacheKind.SERVERLESS_CACHE, "sessions", null,
                SESSIONS_TODAY), false);

        assertEquals("copied", out.get("outcome"));
        assertEquals(1, okCalls(aws, "CopyServerlessCacheSnapshot"));
        assertEquals(0, okCalls(aws, "CopySnapshot"));
        Map<String, String> tags = aws.elastiCache().tagsOf(ArchiveWorld.arn("serverlesscachesnapshot",
                "cachekeeper-archive-automatic-sessions-2026-11-21-03-00"));
        assertEquals("true", tags.get("cachekeeper:managed"));
        assertEquals("sessions", tags.get("team"));
    }

    @Test
    void anEventNamingOnlyTheNodeCopiesTheNewestSnapshotOfItsGroup() {
        SimulatedAws aws = new ArchiveWorld().build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());

        Map<String, Object> byGroup = archiver.archive(completed(CacheKind.REPLICATION_GROUP, "orders-cache",
                "orders-cache-001", null), false);
        Map<String, Object> byNode = archiver.archive(completed(CacheKind.CACHE_CLUSTER, "orders-cache-001",
                "orders-cache-001", null), false);

        assertEquals(ORDERS_TODAY, byGroup.get("snapshot"));
        assertEquals("copied", byGroup.get("outcome"));
        assertEquals(ORDERS_TODAY, byNode.get("snapshot"));
        assertEquals("already copied", byNode.get("outcome"));
    }

    @Test
    void aCacheThatIsNotSelectedIsNotCopied() {
        SimulatedAws aws = new ArchiveWorld().build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());

        Map<String, Object> out = archiver.archive(completed(CacheKind.REPLICATION_GROUP, "web-cache", null,
                "automatic.web-cache-2026-11-21-02-00"), false);

        assertEquals("skipped", out.get("outcome"));
        assertTrue(aws.callLog().mutating().isEmpty());
    }

    @Test
    void theSweepCopiesWhatEventsMissedOnceAndOnlyForSelectedCaches() {
        SimulatedAws aws = new ArchiveWorld().build();
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.settings());

        SweepReport first = archiver.sweep(false, () -> 600_000);
        aws.advance(Duration.ofMinutes(10));
        SweepReport second = archiver.sweep(false, () -> 600_000);

        assertEquals(5, first.copied(), "3 of orders-cache, 2 of sessions; web-cache is not selected");
        assertEquals(0, second.copied());
        assertEquals(3, okCalls(aws, "CopySnapshot"));
        assertEquals(2, okCalls(aws, "CopyServerlessCacheSnapshot"));
        assertTrue(aws.elastiCache().snapshotNames().stream().noneMatch(n -> n.contains("web-cache")
                && n.startsWith("cachekeeper-")));
        assertTrue(first.failures().isEmpty(), first.failures().toString());
    }

    @Test
    void theSweepListsWithPagesNotOneDescribePerCache() {
        SimulatedAws aws = new ArchiveWorld().build();
        ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        assertEquals(2, aws.callLog().of("DescribeSnapshots").size(), "one page each of system and user");
        assertEquals(1, aws.callLog().of("DescribeServerlessCacheSnapshots").size());
        assertEquals(3, aws.callLog().of("ListTagsForResource").size(), "one per cache with something to copy");
    }

    /** Old copies of web-cache (not selected any more: only pruning applies) and look-alikes that are not ours. */
    private static ArchiveWorld withOldCopies() {
        return new ArchiveWorld()
                .copy("automatic.web-cache-2026-08-13-02-00", "web-cache", 100)
                .copy("automatic.web-cache-2026-08-03-02-00", "web-cache", 110)
                .copy("automatic.web-cache-2026-07-24-02-00", "web-cache", 120)
                .copy("automatic.web-cache-2026-07-14-02-00", "web-cache", 130)
                .manual("cachekeeper-archive-prefix-only", "web-cache", 200, Map.of("team", "web"))
                .manual("weekly-backup-tag-only", "web-cache", 210, Map.of("cachekeeper:managed", "true"))
                .manual("orders-before-migration", "orders-cache", 300, Map.of("owner", "alice"));
    }

    @Test
    void pruningKeepsTheMinimumAndNeverTouchesSnapshotsThatAreNotOurs() {
        SimulatedAws aws = withOldCopies().build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        List<String> deleted = aws.callLog().of("DeleteSnapshot").stream().map(c -> c.param("SnapshotName")).toList();
        assertEquals(List.of(SnapshotArchiver.copyName("automatic.web-cache-2026-07-14-02-00")), deleted,
                "the three newest copies are kept although past retention; only the oldest goes");
        assertTrue(report.failures().isEmpty(), report.failures().toString());
        assertEquals(1, report.refusedUnmanaged(), "the prefix-only look-alike is refused");
        assertTrue(aws.elastiCache().snapshotNames().containsAll(List.of("cachekeeper-archive-prefix-only",
                "weekly-backup-tag-only", "orders-before-migration")));
    }

    @Test
    void withNoMinimumEveryExpiredCopyGoesButStillNothingElse() {
        SimulatedAws aws = withOldCopies().build();
        ArchiverSettings s = ArchiveWorld.settings();
        s = new ArchiverSettings(s.retention(), 0, 0, 0, 0, s.exportBucket(), false, s.kmsKeyId(), s.concurrency(),
                s.stopMargin(), false, s.selection(), s.region());
        ArchiveWorld.archiver(aws, s).sweep(false, () -> 600_000);

        assertEquals(4, okCalls(aws, "DeleteSnapshot"));
        assertTrue(aws.callLog().of("DeleteSnapshot").stream()
                .allMatch(c -> c.param("SnapshotName").startsWith("cachekeeper-archive-automatic-web-cache-")));
        assertTrue(aws.elastiCache().snapshotNames().containsAll(List.of("cachekeeper-archive-prefix-only",
                "weekly-backup-tag-only", "orders-before-migration")));
    }

    @Test
    void anExpiresTagSetLaterByAPersonKeepsTheCopy() {
        SimulatedAws aws = withOldCopies().build();
        String oldest = SnapshotArchiver.copyName("automatic.web-cache-2026-07-14-02-00");
        aws.elastiCache().addTagsToResource(b -> b.resourceName(ArchiveWorld.arn("snapshot", oldest))
                .tags(t -> t.key("cachekeeper:expires").value("2030-01-01T00:00:00Z")));
        aws.clearCalls();

        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        assertEquals(0, okCalls(aws, "DeleteSnapshot"));
        assertEquals(1, (Integer) report.toMap().get("keptByExpiresTag"));
    }

    @Test
    void throttlingIsRiddenOutAndAFailingCacheDoesNotStopTheOthers() {
        SimulatedAws aws = new ArchiveWorld().build();
        aws.faults().throttle("DescribeSnapshots", 3).throttle("CopySnapshot", 2).throttle("ListTagsForResource", 2)
                .fail("CopyServerlessCacheSnapshot", 5, "ServerlessCacheSnapshotQuotaExceededFault");

        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        assertEquals(3, okCalls(aws, "CopySnapshot"), "orders-cache copied in spite of throttling");
        assertEquals(1, report.failures().size());
        assertEquals("serverless-cache/sessions", report.failures().getFirst().cache());
        assertEquals("ServerlessCacheSnapshotQuotaExceededFault", report.failures().getFirst().errorCode());
        List<PublishedMessage> alerts = aws.sns().published(aws.sns().topicArn(ArchiveWorld.TOPIC));
        assertEquals(1, alerts.size(), "one summary alert per sweep");
        assertTrue(alerts.getFirst().message().contains("serverless-cache/sessions"));
        assertTrue(alerts.getFirst().message().contains("ServerlessCacheSnapshotQuotaExceededFault"));
    }

    @Test
    void dryRunLogsThePlanAndChangesNothing() {
        SimulatedAws aws = withOldCopies().build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(true, () -> 600_000);

        assertEquals(List.of(), aws.callLog().mutating());
        assertEquals(5, report.copied());
        assertEquals(1, report.pruned());
        assertTrue(report.plan().contains("copy " + ORDERS_TODAY + " -> " + SnapshotArchiver.copyName(ORDERS_TODAY)));
        assertTrue(report.plan().contains("delete "
                + SnapshotArchiver.copyName("automatic.web-cache-2026-07-14-02-00")));
        assertTrue(aws.sns().published().isEmpty());
    }

    @Test
    void aSweepShortOfTimeStopsCleanlyAndTheNextRunFinishes() {
        SimulatedAws aws = new ArchiveWorld().build();
        ArchiverSettings s = ArchiveWorld.settings();
        s = new ArchiverSettings(s.retention(), s.minCopies(), 0, 0, 0, s.exportBucket(), false, s.kmsKeyId(), 1,
                s.stopMargin(), false, s.selection(), s.region());
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, s);
        // Plenty of time for the listing and the first copies, then under the margin.
        SweepReport first = archiver.sweep(false, () -> aws.callLog().calls().size() < 6 ? 600_000 : 30_000);
        aws.advance(Duration.ofMinutes(10));
        SweepReport second = archiver.sweep(false, () -> 600_000);

        assertTrue(first.isStoppedEarly());
        assertTrue(first.copied() < 5, "stopped part way: " + first.copied());
        assertEquals(5, first.copied() + second.copied());
        assertEquals(5, okCalls(aws, "CopySnapshot") + okCalls(aws, "CopyServerlessCacheSnapshot"));
    }

    @Test
    void exportsNewCopiesToAReadyBucket() {
        SimulatedAws aws = new ArchiveWorld().bucket("exports", "BucketOwnerPreferred", true).build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.withExport(ArchiveWorld.settings(), "exports"))
                .sweep(false, () -> 600_000);

        assertEquals(5, report.exported());
        assertEquals(3, aws.callLog().of("CopySnapshot").stream().filter(c -> "exports".equals(c.param("TargetBucket")))
                .filter(ApiCall::ok).count());
        assertEquals(2, okCalls(aws, "ExportServerlessCacheSnapshot"));
        assertEquals(1, aws.callLog().of("GetBucketAcl").size(), "the bucket is checked once");
    }

    @Test
    void aBucketWithAclsDisabledIsReportedExactlyAndNothingIsExported() {
        SimulatedAws aws = new ArchiveWorld().bucket("exports", null, false).build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.withExport(ArchiveWorld.settings(), "exports"))
                .sweep(false, () -> 600_000);

        assertEquals(5, report.copied(), "copies are made all the same");
        assertEquals(0, report.exported());
        assertTrue(report.exportProblem().contains("BucketOwnerEnforced"), report.exportProblem());
        assertEquals(0, aws.callLog().of("ExportServerlessCacheSnapshot").size());
        assertTrue(aws.sns().published().getFirst().message().contains("BucketOwnerEnforced"));
    }

    @Test
    void aBucketWithoutElastiCachesGrantNamesWhatIsMissing() {
        SimulatedAws aws = new ArchiveWorld().bucket("exports", "BucketOwnerPreferred", false).build();
        ExportBucketCheck.Result r = new ExportBucketCheck(aws.s3(), ArchiveWorld.retrier(aws))
                .check("exports", "eu-west-1", false);
        assertFalse(r.ok());
        assertTrue(r.problem().contains("[READ, WRITE, READ_ACP]"), r.problem());

        ExportBucketCheck.Result elsewhere = new ExportBucketCheck(aws.s3(), ArchiveWorld.retrier(aws))
                .check("exports", "eu-central-1", false);
        assertTrue(elsewhere.problem().contains("is in eu-west-1"), elsewhere.problem());

        ExportBucketCheck.Result fixed = new ExportBucketCheck(aws.s3(), ArchiveWorld.retrier(aws))
                .check("exports", "eu-west-1", true);
        assertTrue(fixed.ok(), String.valueOf(fixed.problem()));
        assertTrue(new ExportBucketCheck(aws.s3(), ArchiveWorld.retrier(aws)).check("exports", "eu-west-1", false)
                .ok(), "the grant the archiver added is what ElastiCache needs");
    }
}
