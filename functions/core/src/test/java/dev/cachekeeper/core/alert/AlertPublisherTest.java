package dev.cachekeeper.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.core.aws.Retrier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

class AlertPublisherTest {
    @Test
    void subjectIsFoldedToWhatSnsAccepts() {
        Alert a = new Alert(Severity.CRITICAL, "orders-cache deleted\nwith no snapshot — é " + "x".repeat(200),
                "body", "orders-cache", "Cache Deleted");
        String s = AlertPublisher.subject(a);
        assertTrue(s.length() <= 100, s);
        assertTrue(s.startsWith("[cachekeeper] CRITICAL orders-cache deleted with no snapshot"), s);
        assertTrue(s.chars().allMatch(c -> c >= 0x20 && c < 0x7f), s);
    }

    @Test
    void attributesLetSubscribersFilter() {
        List<PublishRequest> sent = new ArrayList<>();
        SnsClient sns = new SnsClient() {
            @Override public String serviceName() { return "sns"; }
            @Override public void close() { }
            @Override public PublishResponse publish(PublishRequest r) {
                sent.add(r);
                return PublishResponse.builder().messageId("m-1").build();
            }
        };
        AlertPublisher p = new AlertPublisher(sns, "arn:aws:sns:eu-west-1:123456789012:alerts",
                Retrier.standard(Clock.systemUTC(), d -> { }));
        assertEquals("m-1", p.publish(new Alert(Severity.WARNING, "s", "b", "orders", "Failover Completed")));
        var attrs = sent.get(0).messageAttributes();
        assertEquals("WARNING", attrs.get("severity").stringValue());
        assertEquals("orders", attrs.get("cache_id").stringValue());
        assertEquals("Failover Completed", attrs.get("event_type").stringValue());
    }
}
