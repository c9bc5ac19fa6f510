package dev.cachekeeper.simulation;

import static dev.cachekeeper.simulation.Fixtures.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterValueException;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.NodeGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SourceType;
import software.amazon.awssdk.services.elasticache.model.TestFailoverNotAvailableException;
import software.amazon.awssdk.services.elasticache.model.TestFailoverRequest;

class FailoverAndEventsTest {

    @Test
    void testFailoverRecordsTheDocumentedEventsInOrderAndSwapsThePrimary() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        String topic = aws.sns().topic("ec");
        aws.elastiCache().setNotificationTopic("orders", topic);
        aws.elastiCache().testFailover(TestFailoverRequest.builder().replicationGroupId("orders").nodeGroupId("0001")
                .build());
        List<String> messages = aws.elastiCache().describeEvents(DescribeEventsRequest.builder().build()).events()
                .stream().filter(e -> !e.message().equals("Cache cluster created")
                        && !e.message().startsWith("Replication group orders created"))
                .map(e -> e.sourceType() + " " + e.sourceIdentifier() + ": " + e.message()).toList();
        assertEquals(List.of(
                "replication-group orders: Test Failover API called for node group 0001",
                "cache-cluster orders-002: Failover from primary node orders-001 to replica node orders-002 completed",
                "replication-group orders: Failover from primary node orders-001 to replica node orders-002 completed",
                "cache-cluster orders-001: Recovering cache nodes 0001"), messages);
        assertEquals("orders-002", aws.elastiCache().primaryOf("orders", "0001"));
        assertEquals("primary", Fixtures.group(aws, "orders").nodeGroups().get(0).nodeGroupMembers().get(1)
                .currentRole());
        var sns = aws.sns().published(topic);
        assertEquals("{\"ElastiCache:FailoverComplete\":\"orders\",\"Cache Cluster ID\":\"orders-002\"}",
                sns.get(sns.size() - 1).message());
        aws.advance(Duration.ofMinutes(6));
        List<Event> later = aws.elastiCache().describeEvents(DescribeEventsRequest.builder()
                .sourceType(SourceType.CACHE_CLUSTER).sourceIdentifier("orders-001").build()).events();
        assertEquals("Finished recovery for cache nodes 0001", later.get(later.size() - 1).message());
    }

    @Test
    void testFailoverFaults() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        assertThrows(NodeGroupNotFoundException.class, () -> aws.elastiCache().testFailover(TestFailoverRequest
                .builder().replicationGroupId("orders").nodeGroupId("0002").build()));
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder().replicationGroupId("single")
                .replicationGroupDescription("d").build());
        aws.advance(Duration.ofMinutes(10));
        var noAuto = assertThrows(InvalidReplicationGroupStateException.class, () -> aws.elastiCache().testFailover(
                TestFailoverRequest.builder().replicationGroupId("single").nodeGroupId("0001").build()));
        assertEquals("InvalidReplicationGroupState", errorCode(noAuto));
    }

    @Test
    void testFailoverQuotaIsFifteenShardsPerRollingDay() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        for (int i = 0; i < 15; i++) {
            aws.elastiCache().testFailover(TestFailoverRequest.builder().replicationGroupId("orders")
                    .nodeGroupId("0001").build());
            aws.advance(Duration.ofMinutes(10));
        }
        var e = assertThrows(TestFailoverNotAvailableException.class, () -> aws.elastiCache().testFailover(
                TestFailoverRequest.builder().replicationGroupId("orders").nodeGroupId("0001").build()));
        assertEquals("TestFailoverNotAvailableFault", errorCode(e));
        aws.advance(Duration.ofHours(22)); // the first call drops out of the rolling window
        aws.elastiCache().testFailover(TestFailoverRequest.builder().replicationGroupId("orders").nodeGroupId("0001")
                .build());
    }

    @Test
    void clusterModeEnabledGroupTakesOneTestFailoverAtATime() {
        SimulatedAws aws = new SimulatedAws();
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder().replicationGroupId("sessions")
                .replicationGroupDescription("d").numNodeGroups(2).replicasPerNodeGroup(1).build());
        aws.advance(Duration.ofMinutes(10));
        aws.elastiCache().testFailover(TestFailoverRequest.builder().replicationGroupId("sessions").nodeGroupId("0001")
                .build());
        assertThrows(InvalidReplicationGroupStateException.class, () -> aws.elastiCache().testFailover(
                TestFailoverRequest.builder().replicationGroupId("sessions").nodeGroupId("0002").build()));
        aws.advance(aws.elastiCache().timings().nodeRecovery());
        aws.elastiCache().testFailover(TestFailoverRequest.builder().replicationGroupId("sessions").nodeGroupId("0002")
                .build());
    }

    @Test
    void failoverHelperNotifiesInTheSelectedShape() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        String topic = aws.sns().topic("ec");
        aws.elastiCache().setNotificationTopic("orders", topic);
        List<PublishedMessage> received = new ArrayList<>();
        aws.sns().subscribe(topic, received::add);
        aws.elastiCache().setNotificationShape(NotificationShape.EVENT);
        aws.elastiCache().failover("orders", "0001");
        assertEquals(1, received.size());
        String body = received.get(0).message();
        assertTrue(body.contains("\"Message\":\"Failover from primary node orders-001 to replica node orders-002 "
                + "completed\""), body);
        assertTrue(body.contains("\"SourceIdentifier\":\"orders-002\""), body);
        assertTrue(body.contains("\"SourceType\":\"cache-cluster\""), body);
        assertTrue(aws.callLog().of("Publish").isEmpty(), "AWS's own notifications are not Publish calls");
    }

    @Test
    void describeEventsDefaultsToTheLastHourAndKeepsFourteenDays() {
        SimulatedAws aws = new SimulatedAws();
        Instant now = aws.now();
        aws.elastiCache().recordEvent("cache-cluster", "a", "old", now.minus(Duration.ofDays(20)));
        aws.elastiCache().recordEvent("cache-cluster", "a", "ten days", now.minus(Duration.ofDays(10)));
        aws.elastiCache().recordEvent("cache-cluster", "a", "two hours", now.minus(Duration.ofHours(2)));
        aws.elastiCache().recordEvent("cache-cluster", "a", "recent", now.minus(Duration.ofMinutes(5)));
        assertEquals(List.of("recent"), messages(aws, DescribeEventsRequest.builder().build()));
        assertEquals(List.of("two hours", "recent"), messages(aws, DescribeEventsRequest.builder().duration(180).build()));
        assertEquals(List.of("ten days", "two hours", "recent"), messages(aws, DescribeEventsRequest.builder()
                .startTime(now.minus(Duration.ofDays(30))).build()));
        assertThrows(InvalidParameterValueException.class, () -> aws.elastiCache().describeEvents(
                DescribeEventsRequest.builder().maxRecords(101).build()));
        assertThrows(InvalidParameterValueException.class, () -> aws.elastiCache().describeEvents(
                DescribeEventsRequest.builder().maxRecords(19).build()));
    }

    @Test
    void describeEventsPagesWithMarkers() {
        SimulatedAws aws = new SimulatedAws();
        for (int i = 0; i < 45; i++) {
            aws.elastiCache().recordEvent("replication-group", "g", "e" + i, aws.now().minus(Duration.ofMinutes(50 - i)));
        }
        var first = aws.elastiCache().describeEvents(DescribeEventsRequest.builder().maxRecords(20).build());
        assertEquals(20, first.events().size());
        assertEquals("e0", first.events().get(0).message(), "oldest first");
        var second = aws.elastiCache().describeEvents(DescribeEventsRequest.builder().maxRecords(20)
                .marker(first.marker()).build());
        assertEquals("e20", second.events().get(0).message());
        assertEquals(45, aws.elastiCache().describeEventsPaginator(DescribeEventsRequest.builder().maxRecords(20)
                .build()).events().stream().count());
    }

    private static List<String> messages(SimulatedAws aws, DescribeEventsRequest r) {
        return aws.elastiCache().describeEvents(r).events().stream().map(Event::message).toList();
    }
}
