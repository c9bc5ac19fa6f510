package dev.cachekeeper.core.alert;

import dev.cachekeeper.core.aws.Retrier;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Publishes alerts to the project's SNS topic. */
public final class AlertPublisher {
    /** SNS allows at most 100 printable ASCII characters in a subject, with no line breaks. */
    static final int MAX_SUBJECT = 100;
    /** Alerts are for people: keep bodies short (SNS would take 256 KB). */
    static final int MAX_BODY = 16_000;

    private final SnsClient sns;
    private final String topicArn;
    private final Retrier retrier;

    public AlertPublisher(SnsClient sns, String topicArn, Retrier retrier) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.retrier = retrier;
    }

    /** Returns the SNS message id. */
    public String publish(Alert alert) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("severity", attr(alert.severity().name()));
        attributes.put("event_type", attr(alert.eventType()));
        if (alert.cacheId() != null) {
            attributes.put("cache_id", attr(alert.cacheId()));
        }
        String subject = subject(alert);
        String body = alert.body().length() <= MAX_BODY ? alert.body() : alert.body().substring(0, MAX_BODY) + "\n…";
        return retrier.call(() -> sns.publish(b -> b.topicArn(topicArn).subject(subject).message(body)
                .messageAttributes(attributes))).messageId();
    }

    /** {@code [cachekeeper] CRITICAL orders-cache: ...}, folded to what SNS accepts. */
    static String subject(Alert alert) {
        String raw = "[cachekeeper] " + alert.severity() + " " + alert.subject();
        StringBuilder out = new StringBuilder();
        for (char c : raw.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        String s = out.toString().replaceAll(" {2,}", " ").trim();
        return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT - 1) + "~";
    }

    private static MessageAttributeValue attr(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
