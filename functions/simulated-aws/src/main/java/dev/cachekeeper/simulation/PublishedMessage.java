package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.Map;

/**
 * One message that reached an SNS topic.
 *
 * @param publishedBy {@code api} for a Publish call, or the AWS service that sent it (e.g. {@code elasticache} for
 *                    a cluster's event notification), so tests can tell the project's alerts from AWS's notifications
 */
public record PublishedMessage(String messageId, String topicArn, String subject, String message,
                               Map<String, String> attributes, Instant at, String publishedBy) {
}
