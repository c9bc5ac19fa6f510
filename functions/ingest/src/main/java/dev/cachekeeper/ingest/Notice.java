package dev.cachekeeper.ingest;

import dev.cachekeeper.core.event.Origin;
import java.time.Instant;

/**
 * One ElastiCache event as the node-based channels (SNS, DescribeEvents) and the serverless channel describe it,
 * before interpretation. Every field but {@code time} and {@code origin} may be missing, depending on the shape.
 *
 * @param eventName  the SNS event name, e.g. {@code ElastiCache:FailoverComplete} (keyed shape only)
 * @param sourceType DescribeEvents' SourceType, e.g. {@code cache-cluster}
 * @param sourceId   the id the event is attached to: a node, a group, a serverless cache or snapshot
 * @param nodeId     a node named separately (the keyed shape's {@code Cache Cluster ID})
 * @param message    the human text, e.g. {@code Failover from primary node a to replica node b completed}
 * @param time       when it happened (for the keyed SNS shape: when SNS published it, the best we have)
 * @param origin     the channel
 */
public record Notice(String eventName, String sourceType, String sourceId, String nodeId, String message,
                     Instant time, Origin origin) {
}
