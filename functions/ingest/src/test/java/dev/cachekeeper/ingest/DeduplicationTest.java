package dev.cachekeeper.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.simulation.NotificationShape;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One real-world event, however many sources report it and however often, is one event on the bus. */
class DeduplicationTest {

    private static IngestFixture world(NotificationShape shape, List<PublishedMessage> notifications) {
        IngestFixture f = new IngestFixture(SimulatedAws.fromBundledWorld("default"));
        f.aws.elastiCache().setNotificationShape(shape);
        f.aws.sns().subscribe(f.aws.sns().topicArn("elasticache-events"), notifications::add);
        return f;
    }

    private static String delivered(PublishedMessage m, Duration snsDelay) {
        return IngestFixture.snsDelivery(m.topicArn(), m.message(), m.at().plus(snsDelay), m.messageId());
    }

    @ParameterizedTest
    @EnumSource(NotificationShape.class)
    void failoverSeenBySnsThenByTheSweepIsPublishedOnce(NotificationShape shape) {
        List<PublishedMessage> sns = new ArrayList<>();
        IngestFixture f = world(shape, sns);
        f.ledger.writeMark(DescribeEventsSweep.MARK, f.aws.now().toString());
        f.aws.advance(Duration.ofMinutes(1));
        String newPrimary = f.aws.elastiCache().failover("orders-cache", "0001");

        f.aws.advance(Duration.ofSeconds(4));
        Tally viaSns = f.dispatch(delivered(sns.get(0), Duration.ofSeconds(4)));
        f.aws.advance(Duration.ofMinutes(5));
        Tally viaSweep = f.sweep();

        assertEquals(1, viaSns.published());
        assertEquals(0, viaSweep.published());
        assertEquals(2, viaSweep.duplicates(), "the cache-cluster and the replication-group entry of the failover");
        var events = f.published();
        assertEquals(1, events.size(), events.toString());
        assertEquals(DetailTypes.FAILOVER_COMPLETED, events.get(0).detailType());
        assertEquals(CacheKind.REPLICATION_GROUP, events.get(0).event().kind());
        assertEquals("orders-cache", events.get(0).event().cacheId());
        assertEquals("0001", events.get(0).event().shardId());
        assertEquals(newPrimary, events.get(0).event().nodeId());
    }

    @ParameterizedTest
    @EnumSource(NotificationShape.class)
    void failoverSeenByTheSweepThenBySnsIsPublishedOnce(NotificationShape shape) {
        List<PublishedMessage> sns = new ArrayList<>();
        IngestFixture f = world(shape, sns);
        f.ledger.writeMark(DescribeEventsSweep.MARK, f.aws.now().toString());
        f.aws.advance(Duration.ofMinutes(1));
        f.aws.elastiCache().failover("sessions", "0002");

        f.aws.advance(Duration.ofSeconds(30));
        Tally viaSweep = f.sweep();
        // A notification that SNS held back for two minutes (a retry) arrives after the sweep.
        f.aws.advance(Duration.ofMinutes(2));
        Tally viaSns = f.dispatch(delivered(sns.get(0), Duration.ofMinutes(2)));

        assertEquals(1, viaSweep.published());
        assertEquals(0, viaSns.published());
        assertEquals(1, viaSns.duplicates());
        var events = f.published();
        assertEquals(1, events.size(), events.toString());
        assertEquals("sessions", events.get(0).event().cacheId());
        assertEquals("0002", events.get(0).event().shardId());
    }

    @Test
    void aRedeliveredNotificationIsPublishedOnce() {
        IngestFixture f = IngestFixture.at("2026-11-21T10:01:00Z");
        byte[] sample = IngestFixture.sample("sns-failover-complete-keyed.json");
        assertEquals(1, f.dispatch(sample).published());
        f.aws.advance(Duration.ofMinutes(1));
        assertEquals(0, f.dispatch(sample).published());
        f.aws.advance(Duration.ofDays(13));
        assertEquals(0, f.dispatch(sample).published(), "claims outlive the 14 days DescribeEvents can re-read");
        assertEquals(1, f.published().size());
    }

    /** 10:09:58 and 10:10:03 fall in different ten-minute buckets; the neighbour claim still joins them. */
    @ParameterizedTest
    @EnumSource(Order.class)
    void reportsStraddlingABucketEdgeCollideInEitherOrder(Order order) {
        IngestFixture f = IngestFixture.at("2026-11-21T10:00:00Z");
        String keyed = IngestFixture.snsDelivery("arn:aws:sns:eu-west-1:123456789012:t",
                "{\"ElastiCache:FailoverComplete\":\"orders\",\"Cache Cluster ID\":\"orders-0001-002\"}",
                Instant.parse(order == Order.SNS_FIRST ? "2026-11-21T10:09:58Z" : "2026-11-21T10:10:03Z"), "m1");
        String record = IngestFixture.snsDelivery("arn:aws:sns:eu-west-1:123456789012:t",
                "{\"Date\":\"" + (order == Order.SNS_FIRST ? "2026-11-21T10:10:03Z" : "2026-11-21T10:09:58Z")
                        + "\",\"Message\":\"Failover from primary node orders-0001-001 to replica node orders-0001-002"
                        + " completed\",\"SourceIdentifier\":\"orders-0001-002\",\"SourceType\":\"cache-cluster\"}",
                Instant.parse("2026-11-21T10:10:05Z"), "m2");
        f.dispatch(keyed);
        f.dispatch(record);
        assertEquals(1, f.published().size(), f.published().toString());
    }

    enum Order { SNS_FIRST, RECORD_FIRST }

    @Test
    void aTestFailoverReportedByCloudTrailSnsAndTheSweepStartsOnce() {
        IngestFixture f = IngestFixture.at("2026-11-21T09:59:00Z");
        f.ledger.writeMark(DescribeEventsSweep.MARK, "2026-11-21T09:59:00Z");
        f.aws.advanceTo(Instant.parse("2026-11-21T10:00:02Z"));
        assertEquals(1, f.dispatch(IngestFixture.sample("cloudtrail-test-failover.json")).published());
        f.aws.elastiCache().recordEvent("replication-group", "orders", "Test Failover API called for node group 0001",
                Instant.parse("2026-11-21T10:00:05Z"));
        f.aws.advanceTo(Instant.parse("2026-11-21T10:00:07Z"));
        assertEquals(0, f.dispatch(IngestFixture.sample("sns-test-failover-called-record.json")).published());
        f.aws.advanceTo(Instant.parse("2026-11-21T10:05:00Z"));
        assertEquals(0, f.sweep().published());
        var events = f.published();
        assertEquals(1, events.size());
        assertEquals(DetailTypes.FAILOVER_STARTED, events.get(0).detailType());
        assertEquals("arn:aws:sts::123456789012:assumed-role/platform-admin/jane", events.get(0).event().actor());
    }

    @Test
    void differentShardsAndLaterFailoversAreDistinctEvents() {
        List<PublishedMessage> sns = new ArrayList<>();
        IngestFixture f = world(NotificationShape.KEYED, sns);
        f.aws.elastiCache().failover("sessions", "0001");
        f.aws.elastiCache().failover("sessions", "0002");
        f.aws.advance(Duration.ofMinutes(30));
        f.aws.elastiCache().failover("sessions", "0001");
        for (PublishedMessage m : sns) {
            f.dispatch(delivered(m, Duration.ofSeconds(2)));
        }
        var shards = f.published().stream().map(p -> p.event().shardId()).toList();
        assertEquals(List.of("0001", "0002", "0001"), shards);
    }

    @Test
    void aCloudTrailDeleteDeliveredTwiceIsPublishedOnce() {
        IngestFixture f = IngestFixture.at("2026-11-21T11:41:00Z");
        byte[] call = IngestFixture.sample("cloudtrail-delete-replication-group.json");
        f.dispatch(call);
        f.dispatch(new String(call, StandardCharsets.UTF_8));
        assertEquals(1, f.published().size());
    }
}
