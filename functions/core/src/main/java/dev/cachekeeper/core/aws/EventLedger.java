package dev.cachekeeper.core.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The project's DynamoDB table: which events have been handled (so a repeated delivery does nothing twice) and
 * the sweep's high-water marks. Claims expire by TTL, so the table never grows without bound.
 *
 * <p>A claim is taken before the work and released if the work fails, so a failure is retried on redelivery
 * instead of being remembered as done.
 */
public final class EventLedger {
    static final String PK = "pk";
    static final String TTL = "ttl";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Retrier retrier;

    public EventLedger(DynamoDbClient dynamo, String table, Clock clock, Retrier retrier) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.retrier = retrier;
    }

    /** True the first time a key is claimed within its time-to-live; false for every repeat. */
    public boolean claim(String key, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        // A token tells our own earlier attempt (a retried put whose first try did land) from someone else's claim.
        String token = UUID.randomUUID().toString();
        try {
            retrier.run(() -> dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(PK, s(key), TTL, n(expires), "token", s(token),
                            "claimedAt", s(clock.instant().toString())))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))));
            return true;
        } catch (ConditionalCheckFailedException alreadyClaimed) {
            var item = retrier.call(() -> dynamo.getItem(b -> b.tableName(table).key(Map.of(PK, s(key)))
                    .consistentRead(true))).item();
            return item != null && item.containsKey("token") && token.equals(item.get("token").s());
        }
    }

    /** Undo a claim whose work failed, so the next delivery does it. */
    public void release(String key) {
        retrier.run(() -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s(key)))));
    }

    /**
     * The mark the restore flow's cleanup leaves before it deletes the half-built group of a failed restore, so the
     * delete audit knows that delete was cachekeeper's own and already announced by the restore flow.
     */
    public static String restoreCleanupMark(String replicationGroupId) {
        return "restore-cleanup#" + replicationGroupId.toLowerCase(java.util.Locale.ROOT);
    }

    public Optional<String> readMark(String name) {
        var item = retrier.call(() -> dynamo.getItem(b -> b.tableName(table).key(Map.of(PK, s("mark#" + name)))
                .consistentRead(true))).item();
        if (item == null || !item.containsKey("value")) {
            return Optional.empty();
        }
        return Optional.of(item.get("value").s());
    }

    public void writeMark(String name, String value) {
        retrier.run(() -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(PK, s("mark#" + name), "value", s(value), "updatedAt", s(clock.instant().toString())))));
    }

    /**
     * A mark that DynamoDB removes by itself once {@code ttl} has passed (TTL deletion is lazy: readers that care
     * about age must still check it), for short-lived facts such as "a failover started on this shard".
     */
    public void writeMark(String name, String value, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        retrier.run(() -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(PK, s("mark#" + name), "value", s(value), "updatedAt", s(clock.instant().toString()),
                        TTL, n(expires)))));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
