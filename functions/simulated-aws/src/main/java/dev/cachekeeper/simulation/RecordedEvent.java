package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.List;

/**
 * One event that reached an EventBridge bus.
 *
 * @param time        the entry's Time, or the time it was put when the entry had none
 * @param publishedBy {@code api} for a PutEvents entry, else the AWS source that emitted it (e.g.
 *                    {@code aws.elasticache} for a serverless cache event)
 */
public record RecordedEvent(String eventId, String eventBusName, String source, String detailType, String detail,
                            List<String> resources, Instant time, String publishedBy) {
}
