package dev.cachekeeper.failover;

import static dev.cachekeeper.failover.FailoverScenario.completed;
import static dev.cachekeeper.failover.FailoverScenario.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.failover.FailoverObserver.Outcome;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverObserverTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void aFailoverWithAStartEventIsReportedWithItsDuration() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.advanceTo(T0);
        assertEquals(Outcome.START_RECORDED, s.start(started("orders-cache", "0001", T0)).outcome());
        s.aws.advance(Duration.ofSeconds(4));
        String now = s.aws.elastiCache().failover("orders-cache", "0001");

        var result = s.complete(completed("orders-cache", "0001", s.aws.now(), "orders-cache-001", now).build());

        assertEquals(Outcome.REPORTED, result.outcome());
        FailoverReport r = result.report();
        assertEquals("orders-cache-002", r.newPrimary());
        assertEquals("eu-west-1b", r.newPrimaryAz());
        assertEquals("eu-west-1a", r.previousPrimaryAz());
        assertEquals(4.0, r.durationSeconds());
        assertEquals("Failover Started event", r.startedFrom());
        assertEquals(List.of(), r.warnings());

        PublishedMessage alert = single(s.alerts());
        assertEquals("[cachekeeper] INFO orders-cache failed over: shard 0001 now on orders-cache-002 (4 s)",
                alert.subject());
        assertEquals(Map.of("severity", "INFO", "cache_id", "orders-cache", "event_type", "Failover Completed"),
                alert.attributes());
        assertTrue(alert.message().contains("orders-cache-002 (eu-west-1b)"), alert.message());
        assertTrue(alert.message().contains("Previous primary: orders-cache-001 (eu-west-1a)"), alert.message());

        assertEquals(1, s.metric("Failovers"));
        assertEquals(4.0, s.metric("FailoverDurationSeconds"));
        assertEquals(Map.of("ReplicationGroup", "orders-cache"), s.flushedMetrics().get(0).dimensions());
    }

    @Test
    void withoutAnyStartTheDurationIsUnknownAndNoDurationMetricIsSent() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);

        FailoverReport r = s.complete(ordersFailover).report();

        assertNull(r.duration());
        assertEquals("unknown", r.toMap().get("duration"));
        assertTrue(r.durationNote().contains("no start event in the 60 minutes"), r.durationNote());
        PublishedMessage alert = single(s.alerts());
        assertTrue(alert.subject().endsWith("now on orders-cache-002"), alert.subject());
        assertTrue(alert.message().contains("Duration:         unknown"), alert.message());
        assertEquals(1, s.metric("Failovers"));
        assertTrue(s.flushedMetrics().stream().noneMatch(d -> d.name().equals("FailoverDurationSeconds")));
    }

    @Test
    void aMissedStartIsFoundInDescribeEvents() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.elastiCache().recordEvent("replication-group", "orders-cache",
                "Test Failover API called for node group 0001", T0.minusSeconds(6));
        var ordersFailover = s.failOverOrdersCacheAt(T0);

        FailoverReport r = s.complete(ordersFailover).report();

        assertEquals(T0.minusSeconds(6), r.startedAt());
        assertEquals("DescribeEvents", r.startedFrom());
        assertEquals(6.0, r.durationSeconds());
        assertTrue(single(s.alerts()).subject().endsWith("(6 s)"));
    }

    @Test
    void aStartIsNeverBorrowedFromAnEarlierFailover() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.advanceTo(T0);
        s.start(started("orders-cache", "0001", T0));
        s.aws.advance(Duration.ofSeconds(5));
        String first = s.aws.elastiCache().failover("orders-cache", "0001");
        s.complete(completed("orders-cache", "0001", s.aws.now(), "orders-cache-001", first).build());
        // A test failover 20 minutes earlier is in DescribeEvents too: it belongs to the first failover.
        s.aws.elastiCache().recordEvent("replication-group", "orders-cache",
                "Test Failover API called for node group 0001", T0);

        s.aws.advance(Duration.ofMinutes(20));
        String second = s.aws.elastiCache().failover("orders-cache", "0001");
        FailoverReport r = s.complete(completed("orders-cache", "0001", s.aws.now(), first, second).build())
                .report();

        assertEquals("orders-cache-001", second);
        assertNull(r.startedAt(), "the second failover's start is unknown, not the first one's");
        assertEquals(2, s.alerts().size());
        assertEquals(2, s.metric("Failovers"));
        assertEquals(5.0, s.metric("FailoverDurationSeconds"));
    }

    @Test
    void clusterModeEnabledGroupNamesTheShardEvenWhenTheEventDoesNot() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.advanceTo(T0);
        String now = s.aws.elastiCache().failover("sessions", "0002");

        // An SNS-keyed notification names the group and the node, not the shard or the previous primary.
        FailoverReport r = s.complete(completed("sessions", null, T0, null, now).build()).report();

        assertEquals("sessions-0002-002", now);
        assertEquals("0002", r.shardId());
        assertEquals(Boolean.TRUE, r.clusterMode());
        assertEquals("eu-west-1c", r.newPrimaryAz());
        assertEquals(List.of(), r.warnings());
        PublishedMessage alert = single(s.alerts());
        assertEquals("[cachekeeper] INFO sessions failed over: shard 0002 now on sessions-0002-002",
                alert.subject());
        assertTrue(alert.message().contains("Previous primary: unknown"), alert.message());
    }

    @Test
    void aFailoverLeavingEveryNodeInOneAzWithoutMultiAzIsAWarning() {
        FailoverScenario s = new FailoverScenario(SimulatedAws.fromWorld("""
                {
                  "account": { "accountId": "123456789012", "region": "eu-west-1", "now": "2026-11-01T00:00:00Z" },
                  "replicationGroups": [ {
                    "id": "cart-cache", "engine": "valkey", "engineVersion": "8.0",
                    "cacheNodeType": "cache.r7g.large", "clusterMode": false,
                    "multiAz": false, "automaticFailover": true,
                    "shards": [ { "id": "0001", "nodes": [
                      { "id": "cart-cache-001", "az": "eu-west-1a", "role": "primary" },
                      { "id": "cart-cache-002", "az": "eu-west-1a", "role": "replica" } ] } ]
                  } ],
                  "dynamoDbTables": [ { "name": "cachekeeper-dedupe", "partitionKey": "pk", "ttlAttribute": "ttl" } ]
                }
                """));
        s.aws.advanceTo(T0);
        String now = s.aws.elastiCache().failover("cart-cache", "0001");

        FailoverReport r = s.complete(completed("cart-cache", "0001", T0, "cart-cache-001", now).build()).report();

        assertEquals(List.of("Multi-AZ is disabled",
                "shard 0001: primary and replicas all in eu-west-1a, so one AZ outage takes the whole shard"),
                r.warnings());
        PublishedMessage alert = single(s.alerts());
        assertEquals("WARNING", alert.attributes().get("severity"));
        assertTrue(alert.subject().startsWith("[cachekeeper] WARNING cart-cache failed over"), alert.subject());
        assertTrue(alert.subject().endsWith(", 2 warnings"), alert.subject());
        assertTrue(alert.message().contains("- Multi-AZ is disabled"), alert.message());
        assertTrue(alert.message().contains("turn Multi-AZ and automatic failover back on"), alert.message());
        assertTrue(alert.message().contains("spread the shard's replicas over AZs"), alert.message());
    }

    @Test
    void aShardLeftWithoutAnAvailableReplicaIsAWarning() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);
        // The failed primary is being replaced: the shard's only replica is not serving yet.
        s.aws.elastiCache().setClusterStatus("orders-cache-001", "modifying");

        FailoverReport r = s.complete(ordersFailover).report();

        assertEquals(List.of("shard 0001 has no available replica (orders-cache-001 modifying)"), r.warnings());
        PublishedMessage alert = single(s.alerts());
        assertEquals("WARNING", alert.attributes().get("severity"));
        assertTrue(alert.message().contains("if no replica is available within about 15 minutes"), alert.message());
    }

    @Test
    void theSameFailoverDeliveredTwiceIsAlertedOnce() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);
        var event = ordersFailover;

        assertEquals(Outcome.REPORTED, s.complete(event).outcome());
        s.aws.advance(Duration.ofSeconds(40));
        var again = s.complete(event);

        assertEquals(Outcome.ALREADY_REPORTED, again.outcome());
        assertEquals(1, s.alerts().size());
        assertEquals(1, s.metric("Failovers"));
    }

    @Test
    void aGroupDeletedMeanwhileIsStillLoggedAndAlerted() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);
        s.aws.elastiCache().deleteReplicationGroup(b -> b.replicationGroupId("orders-cache"));
        s.aws.advance(Duration.ofMinutes(10));

        var result = s.complete(ordersFailover);

        assertEquals(Outcome.REPORTED, result.outcome());
        assertEquals("unknown: replication group orders-cache no longer exists", result.report().topology());
        assertEquals(List.of("topology unknown: replication group orders-cache no longer exists"),
                result.report().warnings());
        PublishedMessage alert = single(s.alerts());
        assertEquals("WARNING", alert.attributes().get("severity"));
        assertTrue(alert.subject().contains("now on orders-cache-002"), alert.subject());
        assertTrue(alert.message().contains("describe-replication-groups --replication-group-id orders-cache"),
                alert.message());
        assertEquals(1, s.metric("Failovers"));
    }

    @Test
    void aDescribeThatKeepsFailingStillGivesAnAlertSayingWhy() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);
        s.aws.faults().throttle("DescribeReplicationGroups", 20);

        var result = s.complete(ordersFailover);

        assertEquals(Outcome.REPORTED, result.outcome());
        assertTrue(result.report().topology().startsWith("unknown: DescribeReplicationGroups failed: Throttl"),
                result.report().topology());
        assertEquals(1, s.alerts().size());
    }

    @Test
    void anAlertThatCannotBeSentIsRetriedOnRedelivery() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);
        var event = ordersFailover;
        s.aws.faults().fail("Publish", 1, "AuthorizationError");

        assertThrows(FailoverObserver.AlertNotSentException.class, () -> s.complete(event));
        assertEquals(0, s.alerts().size());
        assertEquals(0, s.metric("Failovers"), "nothing counted for a failover nobody heard of");

        assertEquals(Outcome.REPORTED, s.complete(event).outcome());
        assertEquals(1, s.alerts().size());
        assertEquals(1, s.metric("Failovers"));
    }

    @Test
    void aStartArrivingAfterItsCompletionDoesNotLingerForTheNextFailover() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        var ordersFailover = s.failOverOrdersCacheAt(T0);
        s.complete(ordersFailover);

        var late = s.start(started("orders-cache", "0001", T0.minusSeconds(3)));

        assertEquals(Outcome.START_LATE, late.outcome());
        assertFalse(s.aws.dynamoDb().items(FailoverScenario.TABLE).stream()
                .anyMatch(i -> i.get("pk").s().startsWith("mark#") && i.get("value").s().contains("startedAt")
                        && !i.get("value").s().contains("completedAt")));
    }

    @Test
    void primingsExtraStepReadsTheNodeListingAndChangesNothing() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        int before = s.aws.calls().size();

        s.observer.warmUpBeyondEmptyAnswers();

        // The listing a found group leads to (answered in memory while priming), and nothing that writes or alerts.
        assertEquals(List.of("DescribeCacheClusters"), s.aws.calls().subList(before, s.aws.calls().size()).stream()
                .map(c -> c.operation()).toList());
        assertTrue(s.aws.callLog().mutating().isEmpty());
        assertTrue(s.alerts().isEmpty());
        assertTrue(s.flushedMetrics().isEmpty());
    }

    private static PublishedMessage single(List<PublishedMessage> alerts) {
        assertEquals(1, alerts.size(), () -> "alerts: " + alerts);
        return alerts.get(0);
    }
}
