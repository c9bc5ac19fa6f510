package dev.cachekeeper.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs ingest cannot act on: each gives one log record and one count, nothing on the bus, and no exception (an
 * exception would make SNS or EventBridge deliver it again and again).
 */
class MalformedInputTest {
    private static final String T = "arn:aws:sns:eu-west-1:123456789012:cachekeeper-NotificationTopic-1X2Y3Z4W5V6U";

    private static String sns(String message) {
        return IngestFixture.snsDelivery(T, message, java.time.Instant.parse("2026-11-21T10:00:41Z"), "m");
    }

    private static String eb(String detailType, String source, String detail) {
        return "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"" + detailType + "\",\"source\":\"" + source
                + "\",\"account\":\"123456789012\",\"time\":\"2026-11-21T10:00:00Z\",\"region\":\"eu-west-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
    }

    private static String trail(String eventName, String params) {
        return eb("AWS API Call via CloudTrail", "aws.elasticache", "{\"eventSource\":\"elasticache.amazonaws.com\","
                + "\"eventName\":\"" + eventName + "\",\"eventTime\":\"2026-11-21T10:00:00Z\",\"eventID\":\"e1\","
                + "\"requestParameters\":" + params + "}");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "this is not json"),
                Arguments.of("empty input", ""),
                Arguments.of("a JSON array", "[1,2,3]"),
                Arguments.of("a JSON string", "\"ElastiCache:FailoverComplete\""),
                Arguments.of("neither SNS nor EventBridge", "{\"hello\":\"world\"}"),
                Arguments.of("empty Records", "{\"Records\":[]}"),
                Arguments.of("a record without Sns", "{\"Records\":[{\"EventSource\":\"aws:sqs\",\"body\":\"x\"}]}"),
                Arguments.of("SNS without Timestamp", "{\"Records\":[{\"Sns\":{\"Message\":\"{}\"}}]}"),
                Arguments.of("SNS with a bad Timestamp", "{\"Records\":[{\"Sns\":{\"Message\":\"{}\",\"Timestamp\":\"yesterday\"}}]}"),
                Arguments.of("empty SNS message", sns("")),
                Arguments.of("SNS message of free text", sns("the cache is on fire")),
                Arguments.of("SNS JSON without event or Message", sns("{\"foo\":\"bar\"}")),
                Arguments.of("keyed event naming no cache", sns("{\"ElastiCache:FailoverComplete\":\"\"}")),
                Arguments.of("keyed event with an object for a cache", sns("{\"ElastiCache:SnapshotComplete\":{\"id\":1}}")),
                Arguments.of("cache id with an injection", sns("{\"ElastiCache:FailoverComplete\":\"orders; rm -rf /\"}")),
                Arguments.of("record shape with a bad Date", sns("{\"Date\":\"last tuesday\",\"Message\":\"Failover to replica node a-001 completed\",\"SourceIdentifier\":\"a-001\",\"SourceType\":\"cache-cluster\"}")),
                Arguments.of("record shape without SourceIdentifier", sns("{\"Date\":\"2026-11-21T10:00:00Z\",\"Message\":\"Failover to replica node a-001 completed\",\"SourceType\":\"cache-cluster\"}")),
                Arguments.of("record shape with an empty Message", sns("{\"Date\":\"2026-11-21T10:00:00Z\",\"Message\":\"\",\"SourceIdentifier\":\"a-001\",\"SourceType\":\"cache-cluster\"}")),
                Arguments.of("failover naming a node with bad characters", sns("{\"Date\":\"2026-11-21T10:00:00Z\",\"Message\":\"Failover from primary node a-001 to replica node <script> completed\",\"SourceIdentifier\":\"a-001\",\"SourceType\":\"cache-cluster\"}")),
                Arguments.of("an implausible date", sns("{\"Date\":\"1970-01-01T00:00:00Z\",\"Message\":\"Failover to replica node a-001 completed\",\"SourceIdentifier\":\"a-001\",\"SourceType\":\"cache-cluster\"}")),
                Arguments.of("EventBridge without source", "{\"detail-type\":\"Snapshot Created\",\"detail\":{}}"),
                Arguments.of("EventBridge from another service", eb("EC2 Instance State-change Notification", "aws.ec2", "{}")),
                Arguments.of("serverless snapshot with no cache or snapshot", eb("Snapshot Created", "aws.elasticache", "{\"Message\":\"done\"}")),
                Arguments.of("serverless detail not an object", eb("Cache Deleted", "aws.elasticache", "\"carts\"")),
                Arguments.of("EventBridge with a bad time", "{\"detail-type\":\"Cache Deleted\",\"source\":\"aws.elasticache\",\"time\":\"soon\",\"detail\":{}}"),
                Arguments.of("CloudTrail from another service", eb("AWS API Call via CloudTrail", "aws.elasticache", "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"DeleteBucket\"}")),
                Arguments.of("CloudTrail without eventName", eb("AWS API Call via CloudTrail", "aws.elasticache", "{\"eventSource\":\"elasticache.amazonaws.com\"}")),
                Arguments.of("DeleteReplicationGroup without an id", trail("DeleteReplicationGroup", "{}")),
                Arguments.of("DeleteCacheCluster with null parameters", trail("DeleteCacheCluster", "null")),
                Arguments.of("TestFailover without node group", trail("TestFailover", "{\"replicationGroupId\":\"orders\"}")),
                Arguments.of("requestParameters not an object", trail("DeleteServerlessCache", "[\"carts\"]")),
                Arguments.of("a huge garbage message", sns("x".repeat(300_000))));
    }

    static Stream<Arguments> unknown() {
        return Stream.of(
                Arguments.of("an event name AWS may add one day", sns("{\"ElastiCache:QuantumFluxCapacitorEngaged\":\"orders\"}")),
                Arguments.of("a failover in a new wording", sns("{\"Date\":\"2026-11-21T10:00:00Z\",\"Message\":\"Failover initiated on shard 0001\",\"SourceIdentifier\":\"orders\",\"SourceType\":\"replication-group\"}")),
                Arguments.of("a serverless detail-type we do not know", eb("Cache Teleported", "aws.elasticache", "{\"SourceIdentifier\":\"carts\"}")),
                Arguments.of("a CloudTrail call we do not handle", trail("ModifyReplicationGroup", "{\"replicationGroupId\":\"orders\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsLoggedCountedAndAcknowledged(String what, String input) {
        Map<?, ?> tally = invoke(input);
        assertEquals(1, tally.get("malformed"), what + ": " + tally);
        assertEquals(0, tally.get("published"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknown")
    void unknownEventsAreLoggedCountedAndAcknowledged(String what, String input) {
        Map<?, ?> tally = invoke(input);
        assertEquals(1, tally.get("unknown"), what + ": " + tally);
        assertEquals(0, tally.get("malformed"));
        assertEquals(0, tally.get("published"));
    }

    private static Map<?, ?> invoke(String input) {
        IngestFixture f = IngestFixture.at("2026-11-21T10:05:00Z");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertDoesNotThrow(() -> f.handler.handleRequest(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
                new LocalContext("IngestFunction", f.aws.clock(), Duration.ofMinutes(1))));
        assertEquals(List.of(), f.published(), "nothing reaches the bus");
        assertEquals(List.of(), f.aws.dynamoDb().items(IngestFixture.TABLE), "no claim is left behind");
        try {
            return Json.MAPPER.readValue(out.toByteArray(), Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
