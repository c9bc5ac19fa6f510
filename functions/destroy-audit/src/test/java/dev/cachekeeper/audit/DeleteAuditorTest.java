package dev.cachekeeper.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.elasticache.model.Tag;

class DeleteAuditorTest {
    static final String TABLE = "cachekeeper-dedupe";
    static final String ACTOR = "arn:aws:sts::123456789012:assumed-role/Admin/bob";

    final SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
    final String topic = aws.sns().topic("cachekeeper-alerts");
    final Map<String, String> env = new HashMap<>(Map.of(Settings.ALERT_TOPIC_ARN, topic,
            Settings.TABLE_NAME, TABLE));

    DeleteAuditor auditor() {
        Retrier retrier = Retrier.standard(aws.clock(), aws::advance);
        Settings settings = new Settings(env);
        return new DeleteAuditor(aws.elastiCache(), new EventLedger(aws.dynamoDb(), TABLE, aws.clock(), retrier),
                new AlertPublisher(aws.sns(), topic, retrier), new RecordingMetrics(), retrier, settings);
    }

    List<PublishedMessage> alerts() {
        return aws.sns().published(topic);
    }

    /** A sample from events/, happening now on the simulated clock, with its detail edited. */
    BusEvent event(String sample, Consumer<ObjectNode> edit) {
        ObjectNode e = (ObjectNode) sample(sample);
        ObjectNode d = (ObjectNode) e.get("detail");
        e.put("time", aws.now().toString());
        d.put("time", aws.now().toString());
        edit.accept(d);
        return BusEvent.parse(e);
    }

    BusEvent event(String sample) {
        return event(sample, d -> { });
    }

    // ---- the rules ----

    @Test
    void finalSnapshotAskedForIsInfo() {
        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-final-snapshot.json"));

        assertEquals(AuditVerdict.FINAL_SNAPSHOT_REQUESTED, r.verdict());
        assertEquals("orders-cache-final", r.evidence());
        assertEquals("INFO", alerts().get(0).attributes().get("severity"));
    }

    @Test
    void aRecentManualSnapshotIsInfo() {
        aws.elastiCache().createSnapshot(b -> b.replicationGroupId("orders-cache").snapshotName("before-teardown"));
        aws.advance(Duration.ofMinutes(30));

        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.RECENT_MANUAL_SNAPSHOT, r.verdict());
        assertTrue(r.evidence().startsWith("before-teardown (manual, available"), r.evidence());
        assertEquals("INFO", alerts().get(0).attributes().get("severity"));
    }

    @Test
    void aManualSnapshotOlderThanTheAgeDoesNotCount() {
        // the world's orders-before-migration is 12 days old and nobody's copy
        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, r.verdict());
    }

    @Test
    void theAgeIsConfigurable() {
        env.put(DeleteAuditor.MAX_SNAPSHOT_AGE, "30d");

        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.RECENT_MANUAL_SNAPSHOT, r.verdict());
        assertTrue(r.evidence().startsWith("orders-before-migration"), r.evidence());
    }

    @Test
    void anOldCachekeeperCopyCounts() {
        String automatic = aws.elastiCache().describeSnapshots(b -> b.snapshotSource("system")).snapshots().stream()
                .filter(s -> "orders-cache".equals(s.replicationGroupId())).findFirst().orElseThrow().snapshotName();
        String copy = "cachekeeper-archive-" + automatic.replace('.', '-');
        aws.elastiCache().copySnapshot(b -> b.sourceSnapshotName(automatic).targetSnapshotName(copy).tags(
                Tag.builder().key(ManagedTags.MANAGED).value("true").build(),
                Tag.builder().key(ManagedTags.SOURCE_CACHE).value("orders-cache").build()));
        aws.advance(Duration.ofDays(5));

        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.ARCHIVED_COPY, r.verdict());
        assertTrue(r.evidence().startsWith(copy), r.evidence());
    }

    @Test
    void aCopyWithoutOurTagDoesNotCount() {
        String automatic = aws.elastiCache().describeSnapshots(b -> b.snapshotSource("system")).snapshots().stream()
                .filter(s -> "orders-cache".equals(s.replicationGroupId())).findFirst().orElseThrow().snapshotName();
        aws.elastiCache().copySnapshot(b -> b.sourceSnapshotName(automatic).targetSnapshotName("cachekeeper-lookalike"));
        aws.advance(Duration.ofDays(5));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE,
                auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json")).verdict());
    }

    @Test
    void nothingRecoverableIsCriticalNamingCacheActorAndNewestSnapshot() {
        String newest = aws.elastiCache().describeSnapshots(b -> b.maxRecords(50)).snapshots().stream()
                .filter(s -> "orders-cache".equals(s.replicationGroupId()))
                .max(java.util.Comparator.comparing(s -> s.nodeSnapshots().get(0).snapshotCreateTime()))
                .orElseThrow().snapshotName();

        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, r.verdict());
        PublishedMessage alert = alerts().get(0);
        assertEquals("CRITICAL", alert.attributes().get("severity"));
        assertEquals("orders-cache", alert.attributes().get("cache_id"));
        assertTrue(alert.subject().contains("orders-cache deleted with no recoverable snapshot"), alert.subject());
        assertTrue(alert.message().contains("Deleted by: " + ACTOR), alert.message());
        assertTrue(alert.message().contains("Newest snapshot that exists: " + newest), alert.message());
        assertTrue(alert.message().contains("automatic backups are deleted with their cache"), alert.message());
    }

    @Test
    void aCacheWithNoSnapshotAtAllSaysNone() {
        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json",
                d -> d.put("cacheId", "scratch-cache")));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, r.verdict());
        assertTrue(alerts().get(0).message().contains("Newest snapshot that exists: none"), alerts().get(0).message());
    }

    @Test
    void aRetainedPrimaryIsInfo() {
        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json",
                d -> ((ObjectNode) d.get("attributes")).put("retainPrimaryCluster", "true")));

        assertEquals(AuditVerdict.PRIMARY_RETAINED, r.verdict());
    }

    @Test
    void removingOneNodeOfAGroupIsInfo() {
        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json",
                d -> d.put("kind", "cache-cluster").put("cacheId", "orders-cache-002")
                        .put("sourceEvent", "DeleteCacheCluster")));

        assertEquals(AuditVerdict.NODE_OF_GROUP, r.verdict());
        assertEquals("orders-cache", r.evidence());
    }

    @Test
    void serverlessSnapshotsAreLookedAtToo() {
        aws.elastiCache().createServerlessCacheSnapshot(b -> b.serverlessCacheName("catalog")
                .serverlessCacheSnapshotName("catalog-before-teardown"));
        aws.advance(Duration.ofMinutes(30));

        AuditResult r = auditor().audit(event("cachekeeper-cache-deleted.json",
                d -> d.put("kind", "serverless-cache").put("cacheId", "catalog")));

        assertEquals(AuditVerdict.RECENT_MANUAL_SNAPSHOT, r.verdict());
        assertTrue(r.evidence().startsWith("catalog-before-teardown"), r.evidence());
    }

    // ---- one alert per delete ----

    @Test
    void aRedeliveredEventIsAuditedOnce() {
        DeleteAuditor a = auditor();
        a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));
        AuditResult again = a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.DUPLICATE, again.verdict());
        assertEquals(1, alerts().size());
    }

    @Test
    void callThenDeletedOfTheSameDeleteAlertsOnce() {
        DeleteAuditor a = auditor();
        AuditResult called = a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));
        aws.advance(Duration.ofMinutes(7));
        AuditResult deleted = a.audit(event("cachekeeper-cache-deleted.json"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, called.verdict());
        assertEquals(AuditVerdict.ALREADY_AUDITED, deleted.verdict());
        assertEquals(1, alerts().size());
        assertTrue(alerts().get(0).message().contains(ACTOR), "the alert that went out names who deleted");
    }

    @Test
    void deletedArrivingBeforeTheCallAlsoAlertsOnce() {
        DeleteAuditor a = auditor();
        Instant callTime = aws.now();
        aws.advance(Duration.ofMinutes(7));
        AuditResult deleted = a.audit(event("cachekeeper-cache-deleted.json"));
        // CloudTrail is late: the call (made 7 minutes before the deletion finished) arrives now
        AuditResult called = a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json",
                d -> d.put("time", callTime.toString())));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, deleted.verdict());
        assertEquals(AuditVerdict.ALREADY_AUDITED, called.verdict());
        assertEquals(1, alerts().size());
        assertTrue(alerts().get(0).message().contains("unknown (no CloudTrail record"), alerts().get(0).message());
    }

    /** A member node's own deletion report, as ingest publishes it once the group is gone. */
    BusEvent nodeDeleted(String nodeId, String group) {
        return event("cachekeeper-cache-deleted.json", d -> {
            d.put("kind", "cache-cluster");
            d.put("cacheId", nodeId);
            d.put("dedupKey", CacheEvents.dedupKey("node-deleted", nodeId));
            d.put("sourceEvent", "ElastiCache:DeleteCacheClusterComplete");
            d.putObject("attributes").put("replicationGroupIdFromName", group);
        });
    }

    @Test
    void memberNodesOfAnAuditedGroupDeleteRaiseNoAlertOfTheirOwn() {
        DeleteAuditor a = auditor();
        a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));
        aws.advance(Duration.ofMinutes(30)); // the nodes report when the delete has finished
        AuditResult first = a.audit(nodeDeleted("orders-cache-001", "orders-cache"));
        AuditResult second = a.audit(nodeDeleted("orders-cache-002", "orders-cache"));

        assertEquals(AuditVerdict.ALREADY_AUDITED, first.verdict());
        assertEquals(AuditVerdict.ALREADY_AUDITED, second.verdict());
        assertEquals(1, alerts().size(), "one delete, one alert: the group's");
    }

    @Test
    void aNodeReportedBeforeItsGroupIsStillAuditedOnItsOwn() {
        DeleteAuditor a = auditor();
        AuditResult node = a.audit(nodeDeleted("orders-cache-001", "orders-cache"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, node.verdict());
        assertEquals(1, alerts().size(), "without the group's audit, the node's report must not be silenced");
    }

    @Test
    void aGroupAuditedLongBeforeDoesNotSilenceANodeDeletedLater() {
        DeleteAuditor a = auditor();
        a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));
        aws.advance(Duration.ofDays(1)); // the group was re-created since, and one of its nodes removed
        AuditResult node = a.audit(nodeDeleted("orders-cache-001", "orders-cache"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, node.verdict());
        assertEquals(2, alerts().size());
    }

    @Test
    void theRestoreFlowRemovingItsOwnHalfBuiltGroupRaisesNoAlert() {
        DeleteAuditor a = auditor();
        Retrier retrier = Retrier.standard(aws.clock(), aws::advance);
        new EventLedger(aws.dynamoDb(), TABLE, aws.clock(), retrier).writeMark(
                EventLedger.restoreCleanupMark("orders-cache"), "arn:aws:states:eu-west-1:123456789012:execution:r:1",
                Duration.ofDays(1));
        AuditResult group = a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));
        AuditResult node = a.audit(nodeDeleted("orders-cache-001", "orders-cache"));

        assertEquals(AuditVerdict.RESTORE_CLEANUP, group.verdict());
        assertEquals(AuditVerdict.RESTORE_CLEANUP, node.verdict());
        assertEquals(List.of(), alerts(), "the restore flow announces its own failure and cleanup");
    }

    @Test
    void twoDeleteCallsAreTwoDeletes() {
        DeleteAuditor a = auditor();
        a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));
        aws.advance(Duration.ofMinutes(40)); // re-created and deleted again, a CI environment say
        AuditResult second = a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json",
                d -> d.put("dedupKey", CacheEvents.dedupKey("cloudtrail", "another-event-id"))));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, second.verdict());
        assertEquals(2, alerts().size());
    }

    @Test
    void aDeletedEventLongAfterTheCallIsAnotherDelete() {
        DeleteAuditor a = auditor();
        a.audit(event("cachekeeper-cache-delete-called-final-snapshot.json"));
        aws.advance(Duration.ofDays(2));
        AuditResult later = a.audit(event("cachekeeper-cache-deleted.json"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, later.verdict());
        assertEquals(2, alerts().size());
    }

    @Test
    void aFailedAlertIsRetriedOnRedelivery() {
        DeleteAuditor a = auditor();
        aws.faults().fail("Publish", 1, "AuthorizationError");
        assertThrows(RuntimeException.class,
                () -> a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json")));

        AuditResult redelivered = a.audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, redelivered.verdict());
        assertEquals(1, alerts().size());
    }

    @Test
    void dryRunPublishesNothingAndRemembersNothing() {
        env.put(Settings.DRY_RUN, "true");
        AuditResult r = auditor().audit(event("cachekeeper-cache-delete-called-no-final-snapshot.json"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, r.verdict());
        assertFalse(r.alerted());
        assertTrue(alerts().isEmpty());
        assertTrue(aws.dynamoDb().items(TABLE).isEmpty());
    }

    @Test
    void malformedEventsAreAcknowledgedWithoutSideEffects() {
        AuditResult r = auditor().audit(event("cachekeeper-cache-deleted.json", d -> d.remove("cacheId")));

        assertEquals(AuditVerdict.IGNORED, r.verdict());
        assertTrue(r.reason().contains("detail.cacheId"), r.reason());
        assertTrue(alerts().isEmpty());
        assertTrue(aws.dynamoDb().items(TABLE).isEmpty());
    }

    // ---- through the handler, with the samples as Lambda delivers them ----

    @Test
    void theDeployedEntryPointAlertsCriticalOnTheNoFinalSnapshotSample() throws IOException {
        JsonNode sample = sample("cachekeeper-cache-delete-called-no-final-snapshot.json");
        aws.advanceTo(Instant.parse(sample.path("time").asText()));
        var handler = new DestroyAuditHandler(auditor(), new RecordingMetrics());

        // What Lambda calls: the sample's bytes in, the result as JSON out.
        JsonNode out = StreamHandlers.invoke(handler, Json.MAPPER.writeValueAsBytes(sample),
                new LocalContext("destroy-audit"));

        assertEquals("NOTHING_RECOVERABLE", out.path("verdict").asText(), out.toString());
        assertEquals(ACTOR, out.path("actor").asText());
        assertEquals("CRITICAL", alerts().get(0).attributes().get("severity"));
    }

    @Test
    void theDeployedEntryPointAcknowledgesInputThatIsNotJson() {
        JsonNode out = StreamHandlers.invoke(new DestroyAuditHandler(auditor(), new RecordingMetrics()),
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), new LocalContext("destroy-audit"));

        assertEquals("IGNORED", out.path("verdict").asText());
        assertTrue(out.path("reason").asText().contains("not valid JSON"), out.toString());
        assertTrue(alerts().isEmpty());
        assertTrue(aws.dynamoDb().items(TABLE).isEmpty());
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-cache-delete-called-final-snapshot.json", type = ScheduledEvent.class)
    void handlerRecordsTheFinalSnapshotSample(ScheduledEvent event) {
        aws.advanceTo(Instant.ofEpochMilli(event.getTime().getMillis()));
        var out = new DestroyAuditHandler(auditor(), new RecordingMetrics())
                .audit(event, new LocalContext("destroy-audit"));

        assertEquals(AuditVerdict.FINAL_SNAPSHOT_REQUESTED, out.verdict());
        assertTrue(out.alerted());
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-cache-deleted.json", type = ScheduledEvent.class)
    void handlerAuditsTheDeletedSample(ScheduledEvent event) {
        aws.advanceTo(Instant.ofEpochMilli(event.getTime().getMillis()));
        var out = new DestroyAuditHandler(auditor(), new RecordingMetrics())
                .audit(event, new LocalContext("destroy-audit"));

        assertEquals(AuditVerdict.NOTHING_RECOVERABLE, out.verdict());
        assertTrue(alerts().get(0).message().contains("unknown (no CloudTrail record"));
    }

    static JsonNode sample(String name) {
        try (InputStream in = DeleteAuditorTest.class.getResourceAsStream("/events/" + name)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
