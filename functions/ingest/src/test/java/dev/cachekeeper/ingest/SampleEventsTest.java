package dev.cachekeeper.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.Origin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.LocalContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every ingest sample in events/ through the real handler: what reaches the bus, field by field. */
class SampleEventsTest {

    /** One expected event on the bus. */
    record Expect(String detailType, Consumer<CacheEvent> check) {
    }

    static final Map<String, List<Expect>> EXPECTED = Map.ofEntries(
            Map.entry("sns-failover-complete-keyed.json", List.of(new Expect(DetailTypes.FAILOVER_COMPLETED, e -> {
                group(e, "orders", "0001", Origin.SNS, "2026-11-21T10:00:41.512Z");
                assertEquals("orders-0001-002", e.nodeId());
                assertEquals("ElastiCache:FailoverComplete", e.sourceEvent());
            }))),
            Map.entry("sns-failover-complete-record.json", List.of(new Expect(DetailTypes.FAILOVER_COMPLETED, e -> {
                group(e, "orders", "0001", Origin.SNS, "2026-11-21T10:00:38Z");
                assertEquals("orders-0001-001", e.previousPrimary());
                assertEquals("orders-0001-002", e.newPrimary());
                assertEquals("orders-0001-002", e.nodeId());
                assertEquals("Failover from primary node orders-0001-001 to replica node orders-0001-002 completed",
                        e.message());
            }))),
            Map.entry("sns-failover-complete-older-wording.json", List.of(new Expect(DetailTypes.FAILOVER_COMPLETED,
                    e -> {
                        group(e, "orders", "0001", Origin.SNS, "2026-11-21T10:00:38Z");
                        assertNull(e.previousPrimary());
                        assertEquals("orders-0001-002", e.newPrimary());
                    }))),
            Map.entry("sns-failover-complete-plain-text.json", List.of(new Expect(DetailTypes.FAILOVER_COMPLETED,
                    e -> group(e, "orders", "0001", Origin.SNS, "2026-11-21T10:00:41.512Z")))),
            Map.entry("sns-test-failover-called-record.json", List.of(new Expect(DetailTypes.FAILOVER_STARTED,
                    e -> group(e, "orders", "0001", Origin.SNS, "2026-11-21T10:00:05Z")))),
            Map.entry("sns-snapshot-complete-keyed.json", List.of(new Expect(DetailTypes.SNAPSHOT_COMPLETED, e -> {
                group(e, "orders", "0001", Origin.SNS, "2026-11-21T03:12:09.250Z");
                assertEquals("orders-0001-001", e.nodeId());
                assertNull(e.snapshotName(), "the keyed shape does not name the snapshot");
            }))),
            Map.entry("sns-snapshot-succeeded-record.json", List.of(new Expect(DetailTypes.SNAPSHOT_COMPLETED, e -> {
                group(e, "orders", "0001", Origin.SNS, "2026-11-21T03:12:07Z");
                assertEquals("automatic.orders-2026-11-21-03-00", e.snapshotName());
            }))),
            Map.entry("sns-snapshot-failed-keyed.json", List.of(new Expect(DetailTypes.SNAPSHOT_FAILED,
                    e -> group(e, "orders", "0001", Origin.SNS, "2026-11-21T03:20:31.004Z")))),
            Map.entry("sns-snapshot-failed-record.json", List.of(new Expect(DetailTypes.SNAPSHOT_FAILED, e -> {
                group(e, "orders", "0001", Origin.SNS, "2026-11-21T03:20:29Z");
                assertEquals("nightly-orders", e.snapshotName());
            }))),
            Map.entry("sns-delete-cache-cluster-complete-keyed.json", List.of(new Expect(DetailTypes.CACHE_DELETED,
                    e -> {
                        assertEquals(CacheKind.CACHE_CLUSTER, e.kind());
                        assertEquals("sessions", e.cacheId());
                        assertEquals(Origin.SNS, e.origin());
                    }))),
            Map.entry("sns-cache-node-replace-started-keyed.json", List.of()),
            Map.entry("elasticache-serverless-snapshot-created.json", List.of(new Expect(DetailTypes.SNAPSHOT_COMPLETED,
                    e -> {
                        serverless(e, "carts", "2026-11-21T09:30:12Z");
                        assertEquals("carts-nightly-20261121", e.snapshotName());
                        assertEquals("Snapshot Created", e.sourceEvent());
                    }))),
            Map.entry("elasticache-serverless-snapshot-creation-failed.json", List.of(new Expect(
                    DetailTypes.SNAPSHOT_FAILED, e -> {
                        serverless(e, "carts", "2026-11-21T09:41:00Z");
                        assertEquals("carts-manual-1", e.snapshotName());
                    }))),
            Map.entry("elasticache-serverless-cache-deleted.json", List.of(new Expect(DetailTypes.CACHE_DELETED,
                    e -> serverless(e, "carts", "2026-11-21T12:05:44Z")))),
            Map.entry("elasticache-serverless-cache-updated.json", List.of()),
            Map.entry("cloudtrail-test-failover.json", List.of(new Expect(DetailTypes.FAILOVER_STARTED, e -> {
                group(e, "orders", "0001", Origin.CLOUDTRAIL, "2026-11-21T10:00:02Z");
                assertEquals("arn:aws:sts::123456789012:assumed-role/platform-admin/jane", e.actor());
            }))),
            Map.entry("cloudtrail-delete-replication-group.json", List.of(new Expect(DetailTypes.CACHE_DELETE_CALLED,
                    e -> {
                        assertEquals(CacheKind.REPLICATION_GROUP, e.kind());
                        assertEquals("orders", e.cacheId());
                        assertEquals(Boolean.TRUE, e.finalSnapshotRequested());
                        assertEquals("orders-final-20261121", e.snapshotName());
                        assertEquals("arn:aws:sts::123456789012:assumed-role/platform-admin/jane", e.actor());
                        assertEquals("false", e.attributes().get("retainPrimaryCluster"));
                        assertEquals(Origin.CLOUDTRAIL, e.origin());
                        assertEquals(Instant.parse("2026-11-21T11:40:03Z"), e.time());
                    }))),
            Map.entry("cloudtrail-delete-replication-group-no-final-snapshot.json", List.of(new Expect(
                    DetailTypes.CACHE_DELETE_CALLED, e -> {
                        assertEquals("legacy-sessions", e.cacheId());
                        assertEquals(Boolean.FALSE, e.finalSnapshotRequested());
                        assertNull(e.snapshotName());
                    }))),
            Map.entry("cloudtrail-delete-cache-cluster.json", List.of(new Expect(DetailTypes.CACHE_DELETE_CALLED,
                    e -> {
                        assertEquals(CacheKind.CACHE_CLUSTER, e.kind());
                        assertEquals("sessions", e.cacheId());
                        assertEquals(Boolean.FALSE, e.finalSnapshotRequested());
                    }))),
            Map.entry("cloudtrail-delete-serverless-cache.json", List.of(new Expect(DetailTypes.CACHE_DELETE_CALLED,
                    e -> {
                        assertEquals(CacheKind.SERVERLESS_CACHE, e.kind());
                        assertEquals("carts", e.cacheId());
                        assertEquals(Boolean.TRUE, e.finalSnapshotRequested());
                        assertEquals("carts-final", e.snapshotName());
                    }))),
            Map.entry("cloudtrail-delete-replication-group-denied.json", List.of()),
            Map.entry("cloudtrail-create-snapshot.json", List.of()),
            Map.entry("cloudtrail-copy-snapshot.json", List.of()));

    static void group(CacheEvent e, String group, String shard, Origin origin, String time) {
        assertEquals(CacheKind.REPLICATION_GROUP, e.kind());
        assertEquals(group, e.cacheId());
        assertEquals(shard, e.shardId());
        assertEquals(origin, e.origin());
        assertEquals(Instant.parse(time), e.time());
        assertNotNull(e.message());
    }

    static void serverless(CacheEvent e, String cache, String time) {
        assertEquals(CacheKind.SERVERLESS_CACHE, e.kind());
        assertEquals(cache, e.cacheId());
        assertEquals(Origin.EVENTBRIDGE, e.origin());
        assertEquals(Instant.parse(time), e.time());
    }

    static Stream<Arguments> samples() {
        return EXPECTED.keySet().stream().sorted().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachSampleGivesItsNormalizedEvents(String sample) throws Exception {
        IngestFixture f = IngestFixture.at("2026-11-21T12:30:00Z");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.handler.handleRequest(new ByteArrayInputStream(IngestFixture.sample(sample)), out,
                new LocalContext("IngestFunction", f.aws.clock(), java.time.Duration.ofMinutes(1)));

        List<IngestFixture.Published> published = f.published();
        List<Expect> expected = EXPECTED.get(sample);
        assertEquals(expected.size(), published.size(), "events on the bus: " + published);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).detailType(), published.get(i).detailType());
            expected.get(i).check().accept(published.get(i).event());
        }
        Map<?, ?> tally = Json.MAPPER.readValue(out.toByteArray(), Map.class);
        assertEquals(expected.size(), tally.get("published"));
        if (expected.isEmpty()) {
            assertEquals(1, tally.get("recognised"), "a known event that is not published is logged as such: " + tally);
        }
        assertEquals(0, tally.get("malformed"));
        assertEquals(0, tally.get("unknown"));
    }

    @Test
    void everyIngestSampleInEventsIsCovered() throws URISyntaxException {
        File dir = new File(getClass().getClassLoader().getResource("events").toURI());
        List<String> ours = Arrays.stream(dir.list()).filter(n -> n.startsWith("sns-") || n.startsWith("cloudtrail-")
                || n.startsWith("elasticache-serverless-")).sorted().toList();
        assertTrue(ours.size() >= 20);
        assertEquals(ours, EXPECTED.keySet().stream().sorted().toList());
    }

    @Test
    void theScheduleSampleRunsTheSweep() throws Exception {
        IngestFixture f = IngestFixture.at("2026-11-21T10:05:00Z");
        f.aws.elastiCache().recordEvent("cache-cluster", "orders-0001-002",
                "Failover from primary node orders-0001-001 to replica node orders-0001-002 completed",
                Instant.parse("2026-11-21T10:00:38Z"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.handler.handleRequest(new ByteArrayInputStream(IngestFixture.sample("schedule-ingest-sweep.json")), out,
                new LocalContext("IngestFunction", f.aws.clock(), java.time.Duration.ofMinutes(1)));
        Map<?, ?> tally = Json.MAPPER.readValue(out.toByteArray(), Map.class);
        assertEquals(1, tally.get("published"));
        assertEquals("2026-11-21T10:05:00Z", tally.get("mark"));
        assertEquals(Origin.DESCRIBE_EVENTS, f.published().get(0).event().origin());
    }
}
