package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeUsersRequest;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;

class OtherServicesTest {
    private static PutEventsRequestEntry entry(String detail) {
        return PutEventsRequestEntry.builder().source("cachekeeper").detailType("Snapshot Completed").detail(detail)
                .eventBusName("arn:aws:events:eu-west-1:123456789012:event-bus/cachekeeper").build();
    }

    @Test
    void putEventsTakesOneToTenEntriesAndReportsPerEntryFailures() {
        SimulatedAws aws = new SimulatedAws();
        var eb = aws.eventBridge();
        var tooMany = assertThrows(EventBridgeException.class, () -> eb.putEvents(PutEventsRequest.builder()
                .entries(IntStream.range(0, 11).mapToObj(i -> entry("{}")).toList()).build()));
        assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
        var tooBig = assertThrows(EventBridgeException.class, () -> eb.putEvents(PutEventsRequest.builder()
                .entries(entry("{\"x\":\"" + "a".repeat(256 * 1024) + "\"}")).build()));
        assertEquals("ValidationException", tooBig.awsErrorDetails().errorCode());
        eb.failNextEntries(1, "ThrottlingException");
        var r = eb.putEvents(PutEventsRequest.builder().entries(entry("{\"n\":1}"), entry("{\"n\":2}"),
                entry("not json")).build());
        assertEquals(2, r.failedEntryCount());
        assertEquals("ThrottlingException", r.entries().get(0).errorCode());
        assertTrue(r.entries().get(1).eventId() != null);
        assertEquals("InvalidArgument", r.entries().get(2).errorCode());
        assertEquals(1, eb.putEvents().size());
        assertEquals("cachekeeper", eb.putEvents().get(0).eventBusName());
        assertEquals("{\"n\":2}", eb.putEvents().get(0).detail());
    }

    @Test
    void dynamoDbConditionalPutAndTtl() {
        SimulatedAws aws = new SimulatedAws();
        aws.dynamoDb().createTable("dedupe");
        long expires = aws.now().plus(Duration.ofHours(1)).getEpochSecond();
        PutItemRequest put = PutItemRequest.builder().tableName("dedupe")
                .item(Map.of("pk", AttributeValue.fromS("failover#orders#0001"),
                        "ttl", AttributeValue.fromN(Long.toString(expires))))
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", "pk"))
                .build();
        aws.dynamoDb().putItem(put);
        var dup = assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamoDb().putItem(put));
        assertEquals("ConditionalCheckFailedException", dup.awsErrorDetails().errorCode());
        // A dedupe pattern: the key may be reused once the old item has expired.
        PutItemRequest orExpired = put.toBuilder()
                .conditionExpression("attribute_not_exists(pk) OR #ttl < :now")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(aws.now()
                        .getEpochSecond())))).build();
        assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamoDb().putItem(orExpired));
        aws.advance(Duration.ofMinutes(61));
        assertFalse(aws.dynamoDb().getItem(GetItemRequest.builder().tableName("dedupe")
                .key(Map.of("pk", AttributeValue.fromS("failover#orders#0001"))).build()).hasItem(), "TTL honoured");
        aws.dynamoDb().putItem(put);
        var updated = aws.dynamoDb().updateItem(UpdateItemRequest.builder().tableName("dedupe")
                .key(Map.of("pk", AttributeValue.fromS("failover#orders#0001")))
                .updateExpression("SET seen = if_not_exists(seen, :zero), #n = :v")
                .expressionAttributeNames(Map.of("#n", "note"))
                .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"), ":v", AttributeValue.fromS("x")))
                .returnValues(ReturnValue.ALL_NEW).build());
        assertEquals("0", updated.attributes().get("seen").n());
        assertEquals("x", updated.attributes().get("note").s());
        var unsupported = assertThrows(AwsServiceException.class, () -> aws.dynamoDb().putItem(put.toBuilder()
                .conditionExpression("begins_with(pk, :p)").build()));
        assertEquals("ValidationException", unsupported.awsErrorDetails().errorCode());
    }

    @Test
    void snsPublishNeedsATopicAndAValidSubjectAndReachesSubscribers() {
        SimulatedAws aws = new SimulatedAws();
        String arn = aws.sns().topicArn("alerts");
        assertThrows(NotFoundException.class, () -> aws.sns().publish(PublishRequest.builder().topicArn(arn)
                .message("m").build()));
        aws.sns().topic("alerts");
        List<String> got = new ArrayList<>();
        aws.sns().subscribe(arn, m -> got.add(m.subject() + "|" + m.message()));
        assertThrows(InvalidParameterException.class, () -> aws.sns().publish(PublishRequest.builder().topicArn(arn)
                .subject("x".repeat(101)).message("m").build()));
        assertThrows(InvalidParameterException.class, () -> aws.sns().publish(PublishRequest.builder().topicArn(arn)
                .subject("two\nlines").message("m").build()));
        aws.sns().publish(PublishRequest.builder().topicArn(arn).subject("Failover completed").message("body").build());
        assertEquals(List.of("Failover completed|body"), got);
        assertEquals(1, aws.sns().published(arn).size());
    }

    @Test
    void secretsByNameOrArn() {
        SimulatedAws aws = new SimulatedAws();
        String arn = aws.secretsManager().putSecret("cache/auth", "s3cret");
        assertTrue(arn.startsWith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:cache/auth-"));
        assertEquals("s3cret", aws.secretsManager().getSecretValue(GetSecretValueRequest.builder().secretId(arn)
                .build()).secretString());
        assertEquals("s3cret", aws.secretsManager().getSecretValue(GetSecretValueRequest.builder()
                .secretId("cache/auth").build()).secretString());
        assertThrows(ResourceNotFoundException.class, () -> aws.secretsManager().getSecretValue(
                GetSecretValueRequest.builder().secretId("nope").build()));
    }

    @Test
    void operationsThatAreNotSimulatedThrowUnsupportedOperation() {
        SimulatedAws aws = new SimulatedAws();
        assertThrows(UnsupportedOperationException.class, () -> aws.elastiCache().describeUsers(
                DescribeUsersRequest.builder().build()));
    }
}
