package dev.cachekeeper.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.SnapshotNotFoundException;

class RetrierTest {
    private static ElastiCacheException throttled() {
        return (ElastiCacheException) ElastiCacheException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").build()).build();
    }

    /** A clock the sleeper moves forward, so back-off time counts against the budget without real waiting. */
    private static final class FakeTime {
        Instant now = Instant.parse("2026-11-21T00:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();
        Clock clock() {
            return new Clock() {
                @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(java.time.ZoneId zone) { return this; }
                @Override public Instant instant() { return now; }
            };
        }
        Retrier.Sleeper sleeper() {
            return d -> { sleeps.add(d); now = now.plus(d); };
        }
    }

    @Test
    void throttlingIsRetriedUntilItPasses() {
        FakeTime t = new FakeTime();
        AtomicInteger calls = new AtomicInteger();
        String result = Retrier.standard(t.clock(), t.sleeper()).call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw throttled();
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(4, calls.get());
        assertEquals(3, t.sleeps.size());
    }

    @Test
    void aModelledFaultIsNotRetried() {
        FakeTime t = new FakeTime();
        AtomicInteger calls = new AtomicInteger();
        SnapshotNotFoundException nf = SnapshotNotFoundException.builder().statusCode(404).message("gone").build();
        assertSame(nf, assertThrows(SnapshotNotFoundException.class, () -> Retrier.standard(t.clock(), t.sleeper())
                .call(() -> { calls.incrementAndGet(); throw nf; })));
        assertEquals(1, calls.get());
    }

    @Test
    void givesUpWithinTheTotalTimeBudget() {
        FakeTime t = new FakeTime();
        Instant start = t.now;
        Retrier r = new Retrier(t.clock(), t.sleeper(), 100, Duration.ofSeconds(1), Duration.ofSeconds(8),
                Duration.ofSeconds(20));
        assertThrows(ElastiCacheException.class, () -> r.call(() -> { throw throttled(); }));
        assertEquals(true, Duration.between(start, t.now).compareTo(Duration.ofSeconds(20)) <= 0);
        assertEquals(true, t.sleeps.size() < 100);
    }

    @Test
    void serverErrorsAreRetryableButClientErrorsAreNot() {
        assertEquals(true, Retrier.isRetryable(ElastiCacheException.builder().statusCode(503).build()));
        assertEquals(false, Retrier.isRetryable(ElastiCacheException.builder().statusCode(400).build()));
        assertEquals("Throttling", Retrier.errorCode(throttled()));
    }
}
