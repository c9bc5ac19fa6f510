package dev.cachekeeper.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.archive.benchmark.SweepBenchmark;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.Origin;
import dev.cachekeeper.core.snapshot.CacheSnapshot;
import dev.cachekeeper.core.snapshot.CacheSnapshots;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCacheSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;

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
    void theSweepReadsCachesAndTagsInPagesNotOneCallPerCacheOrCopy() {
        SimulatedAws aws = withOldCopies().build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        assertEquals(5, report.copied());
        assertEquals(1, report.pruned());
        assertEquals(2, aws.callLog().of("DescribeSnapshots").size(), "one page each of system and user");
        assertEquals(1, aws.callLog().of("DescribeServerlessCacheSnapshots").size());
        assertEquals(1, aws.callLog().of("DescribeReplicationGroups").size(), "which groups exist: one page");
        assertEquals(1, aws.callLog().of("DescribeServerlessCaches").size());
        assertEquals(0, aws.callLog().of("DescribeCacheClusters").size(), "no standalone cluster has backups");
        assertEquals(List.of(), aws.callLog().of("ListTagsForResource"), "no tag lookup per cache or per copy");
        List<ApiCall> tagReads = aws.callLog().of("GetResources");
        assertEquals(2, tagReads.size(), "the caches' tags in one page, the expired copies' tags in one call");
        assertTrue(tagReads.stream().anyMatch(c -> "elasticache:replicationgroup,elasticache:serverlesscache"
                .equals(c.param("ResourceTypeFilters")) && "cachekeeper:protect".equals(c.param("TagFilters"))),
                tagReads.toString());
    }

    @Test
    void aLargeAccountCostsPagesPlusTheCopiesAndDeletionsActuallyNeeded() {
        // 150 replication groups and 10 serverless caches, 128 of them selected; each has today's backup to copy
        // (if selected) and one copy past retention among 28.
        SimulatedAws aws = SimulatedAws.fromWorld(SweepBenchmark.world(150, 10).toString());
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        assertEquals(128, report.copied());
        assertEquals(160, report.pruned());
        assertTrue(report.failures().isEmpty(), report.failures().toString());
        assertEquals(List.of(), aws.callLog().of("ListTagsForResource"));
        assertEquals(7, aws.callLog().of("GetResources").size(), "128 selected caches in 2 pages of 100, the 280 "
                + "serverless copies' data times in 3 calls of at most 100 ARNs, and the 150 node-based expired copies "
                + "in 2 (the 10 serverless ones were read with the others)");
        assertEquals(2, aws.callLog().of("DescribeReplicationGroups").size());
        assertEquals(1, aws.callLog().of("DescribeServerlessCaches").size());
        long listing = aws.callLog().of("DescribeSnapshots").size()
                + aws.callLog().of("DescribeServerlessCacheSnapshots").size();
        assertEquals(21 + 84 + 7, listing, "1,050 automatic, 4,200 copies and 350 serverless snapshots, 50 a page");
        assertEquals(listing + 2 + 1 + 7, aws.calls().stream().filter(c -> !c.mutating()).count(),
                "every read is a page");
        assertEquals(128 + 160, aws.calls().stream().filter(ApiCall::mutating).count(),
                "nothing but the copies and deletions needed");
    }

    @Test
    void inProtectAllModeAnUntaggedLiveCacheHasItsBackupsCopiedAndAGoneCacheItsFinalSnapshot() {
        SimulatedAws aws = new ArchiveWorld()
                .group("plain-cache", 2, Map.of())
                .manual("plain-before-upgrade", "plain-cache", 3, Map.of())
                .manual("old-cache-final", "old-cache", 2, Map.of("team", "legacy"))
                .build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.protectAll(ArchiveWorld.settings()))
                .sweep(false, () -> 600_000);

        assertTrue(report.failures().isEmpty(), report.failures().toString());
        List<String> names = aws.elastiCache().snapshotNames();
        assertTrue(names.contains("cachekeeper-archive-automatic-plain-cache-2026-11-21-04-00"), names.toString());
        assertTrue(names.contains("cachekeeper-archive-automatic-plain-cache-2026-11-20-04-00"), names.toString());
        assertFalse(names.contains(SnapshotArchiver.copyName("plain-before-upgrade")),
                "a manual snapshot of a live cache is its owner's");
        Map<String, String> finalCopy = aws.elastiCache().tagsOf(ArchiveWorld.arn("snapshot",
                SnapshotArchiver.copyName("old-cache-final")));
        assertEquals("final", finalCopy.get(SnapshotArchiver.ARCHIVED_FROM));
        assertEquals("legacy", finalCopy.get("team"), "the gone cache's tags, from its final snapshot");
        assertEquals(List.of(ArchiveWorld.arn("snapshot", "old-cache-final")), aws.callLog()
                        .of("ListTagsForResource").stream().map(c -> c.param("ResourceName")).toList(),
                "only the gone cache's snapshot is asked about by itself");
    }

    @Test
    void inTagModeAGoneCacheIsArchivedOnlyIfItWasSelectedAndAnUntaggedLiveOneNot() {
        SimulatedAws aws = new ArchiveWorld()
                .group("plain-cache", 2, Map.of())
                .manual("was-protected-final", "was-protected", 2, Map.of("cachekeeper:protect", "true"))
                .manual("never-protected-final", "never-protected", 2, Map.of("team", "x"))
                .copy("automatic.archived-once-2026-10-01-04-00", "archived-once", 51)
                .manual("archived-once-final", "archived-once", 2, Map.of())
                .build();
        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        List<String> names = aws.elastiCache().snapshotNames();
        assertTrue(names.contains(SnapshotArchiver.copyName("was-protected-final")));
        assertTrue(names.contains(SnapshotArchiver.copyName("archived-once-final")), "we archived it while it lived");
        assertFalse(names.contains(SnapshotArchiver.copyName("never-protected-final")));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("cachekeeper-archive-automatic-plain-cache")));
        assertEquals(7, report.copied(), "5 backups of the two selected live caches and 2 final snapshots: "
                + report.toMap());
    }

    @Test
    void aCopyWhoseManagedTagWasRemovedIsNotPruned() {
        SimulatedAws aws = withOldCopies().build();
        String kept = SnapshotArchiver.copyName("automatic.web-cache-2026-08-03-02-00");
        aws.elastiCache().removeTagsFromResource(b -> b.resourceName(ArchiveWorld.arn("snapshot", kept))
                .tagKeys("cachekeeper:managed"));
        aws.clearCalls();

        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.retention(ArchiveWorld.settings(),
                Duration.ofDays(90), 0)).sweep(false, () -> 600_000);

        List<String> deleted = aws.callLog().of("DeleteSnapshot").stream().map(c -> c.param("SnapshotName")).toList();
        assertEquals(3, deleted.size(), deleted.toString());
        assertFalse(deleted.contains(kept));
        assertTrue(aws.elastiCache().snapshotNames().contains(kept));
        assertEquals(2, report.refusedUnmanaged(), "the untagged copy and the prefix-only look-alike");
    }

    @Test
    void aCopyMadeInThisSweepIsNeverPrunedByIt() {
        SimulatedAws aws = new ArchiveWorld().build();
        // A one-day retention and no minimum: yesterday's backups are expired the moment they are copied.
        SnapshotArchiver archiver = ArchiveWorld.archiver(aws, ArchiveWorld.retention(ArchiveWorld.settings(),
                Duration.ofDays(1), 0));

        SweepReport first = archiver.sweep(false, () -> 600_000);
        assertEquals(5, first.copied());
        assertEquals(0, first.pruned());
        assertEquals(List.of(), aws.callLog().of("DeleteSnapshot"));

        aws.advance(Duration.ofHours(1));
        archiver.sweep(false, () -> 600_000);
        assertEquals(List.of(SnapshotArchiver.copyName("automatic.orders-cache-2026-11-19-04-30"),
                        SnapshotArchiver.copyName("automatic.orders-cache-2026-11-20-04-30")),
                aws.callLog().of("DeleteSnapshot").stream().map(c -> c.param("SnapshotName")).sorted().toList(),
                "the next sweep prunes the copies of backups older than a day");
        assertEquals(List.of(SnapshotArchiver.copyName("automatic.sessions-2026-11-20-03-00")),
                aws.callLog().of("DeleteServerlessCacheSnapshot").stream()
                        .map(c -> c.param("ServerlessCacheSnapshotName")).toList(),
                "and the serverless copy of yesterday's backup, though the copy itself is an hour old");
    }

    /** The account's ElastiCache, except that its Describe answers leave unsaid whether a snapshot is manual. */
    private static ElastiCacheClient sourceUnsaid(ElastiCacheClient real) {
        return (ElastiCacheClient) Proxy.newProxyInstance(ElastiCacheClient.class.getClassLoader(),
                new Class<?>[] {ElastiCacheClient.class}, (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (answer instanceof DescribeSnapshotsResponse r) {
                        return r.toBuilder().snapshots(r.snapshots().stream()
                                .map(s -> s.toBuilder().snapshotSource(null).build()).toList()).build();
                    }
                    if (answer instanceof DescribeServerlessCacheSnapshotsResponse r) {
                        return r.toBuilder().serverlessCacheSnapshots(r.serverlessCacheSnapshots().stream()
                                .map(s -> s.toBuilder().snapshotType(null).build()).toList()).build();
                    }
                    return answer;
                });
    }

    @Test
    void anUnsaidSourceIsAutomaticToTheArchiverAndTheAuditAlikeAndOurCopiesAreNeverSources() {
        String copied = "automatic.orders-cache-2026-11-20-04-30";
        SimulatedAws aws = new ArchiveWorld().copy(copied, "orders-cache", 1).build();
        ElastiCacheClient elastiCache = sourceUnsaid(aws.elastiCache());

        SweepReport report = ArchiveWorld.archiver(aws, elastiCache, ArchiveWorld.settings())
                .sweep(false, () -> 600_000);

        // Not counted on to outlive the cache, so copied like any automatic backup of a selected cache.
        assertEquals(4, report.copied(), "2 of orders-cache (one was copied before), 2 of sessions");
        assertEquals("automatic", aws.elastiCache().tagsOf(ArchiveWorld.arn("snapshot",
                SnapshotArchiver.copyName(ORDERS_TODAY))).get(SnapshotArchiver.ARCHIVED_FROM));
        assertTrue(aws.elastiCache().snapshotNames().stream().noneMatch(n -> n.startsWith("cachekeeper-archive-"
                + "cachekeeper-")), "the earlier copy is ours, not a source: " + aws.elastiCache().snapshotNames());
        // The delete audit reads the same snapshots through core's CacheSnapshots: none of them manual to it.
        List<CacheSnapshot> audited = new CacheSnapshots(elastiCache, ArchiveWorld.retrier(aws))
                .of(CacheKind.REPLICATION_GROUP, "orders-cache");
        assertEquals(List.of(), audited.stream().filter(CacheSnapshot::manual).toList());
        assertTrue(audited.stream().filter(s -> !s.name().startsWith("cachekeeper-"))
                .allMatch(s -> aws.elastiCache().snapshotNames().contains(SnapshotArchiver.copyName(s.name()))));
    }

    /** An account whose serverless cache keeps 30 days of backups, none of them copied yet. */
    private static SimulatedAws thirtyDaysOfServerlessBackups() {
        ArchiveWorld world = new ArchiveWorld();
        ((com.fasterxml.jackson.databind.node.ObjectNode) world.world.get("serverlessCaches").get(0))
                .put("automaticSnapshotDays", 30).put("snapshotRetentionLimit", 35);
        return world.build();
    }

    private static SnapshotArchiver keeping32Days(SimulatedAws aws) {
        return ArchiveWorld.archiver(aws, ArchiveWorld.retention(ArchiveWorld.settings(), Duration.ofDays(32), 0));
    }

    @Test
    void aServerlessCopyMadeLateLivesNoLongerThanOneMadeOnTime() {
        // The archiver's first sweep copies all 30 days of backups today. A serverless snapshot reports only its
        // own creation time: for these copies, today.
        SimulatedAws aws = thirtyDaysOfServerlessBackups();
        SnapshotArchiver archiver = keeping32Days(aws);

        assertEquals(33, archiver.sweep(false, () -> 600_000).copied(), "30 serverless backups and 3 of orders");
        String oldest = SnapshotArchiver.copyName("automatic.sessions-2026-10-23-03-00");
        assertEquals("2026-10-23T03:00:00Z", aws.elastiCache().tagsOf(ArchiveWorld.arn("serverlesscachesnapshot",
                oldest)).get(SnapshotArchiver.DATA_TAKEN));

        aws.advance(Duration.ofDays(3));
        SweepReport later = archiver.sweep(false, () -> 600_000);

        assertTrue(later.failures().isEmpty(), later.failures().toString());
        assertEquals(List.of(oldest), aws.callLog().of("DeleteServerlessCacheSnapshot").stream()
                        .map(c -> c.param("ServerlessCacheSnapshotName")).toList(),
                "three days on, the copy of the 33-day-old backup is past the 32-day retention");
    }

    @Test
    void whenTheServerlessCopiesDataTimesCannotBeReadTheyAreDatedByTheCopyAndNoneGoesEarly() {
        SimulatedAws aws = thirtyDaysOfServerlessBackups();
        SnapshotArchiver archiver = keeping32Days(aws);
        archiver.sweep(false, () -> 600_000);
        aws.advance(Duration.ofDays(3));
        // The first tag read of the next sweep is the serverless copies' one.
        aws.faults().fail("GetResources", 1, "AccessDeniedException", "not allowed to read tags", 400);

        SweepReport later = archiver.sweep(false, () -> 600_000);

        assertEquals(List.of(), aws.callLog().of("DeleteServerlessCacheSnapshot"),
                "dated by when they were copied (three days ago), no serverless copy is past retention");
        assertEquals(6, later.copied(), "the rest of the sweep goes on: three new days of backups of both caches");
        assertTrue(later.failures().isEmpty(), later.failures().toString());
    }

    @Test
    void aTaggingApiFailureFailsTheSweepSafely() {
        SimulatedAws aws = withOldCopies().build();
        aws.faults().fail("GetResources", 1, "AccessDeniedException",
                "User is not authorized to perform: tag:GetResources", 400);

        SweepReport report = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);

        assertEquals(List.of(), aws.callLog().mutating().stream().filter(c -> c.service().equals("elasticache"))
                .toList(), "nothing copied, nothing deleted");
        assertEquals(1, report.failures().size());
        assertEquals("(account)", report.failures().getFirst().cache());
        assertEquals("AccessDeniedException", report.failures().getFirst().errorCode());
        List<PublishedMessage> alerts = aws.sns().published(aws.sns().topicArn(ArchiveWorld.TOPIC));
        assertEquals(1, alerts.size(), "one summary alert, as for any failed sweep");
        assertTrue(alerts.getFirst().message().contains("tag:GetResources"), alerts.getFirst().message());
        assertTrue(alerts.getFirst().message().contains("AccessDeniedException"));

        SweepReport next = ArchiveWorld.archiver(aws, ArchiveWorld.settings()).sweep(false, () -> 600_000);
        assertEquals(5, next.copied(), "the next sweep does the work");
        assertEquals(1, next.pruned());
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
        aws.faults().throttle("DescribeSnapshots", 3).throttle("CopySnapshot", 2).throttle("GetResources", 2)
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
