package dev.cachekeeper.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cachekeeper.core.aws.Retrier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class EventBusPublisherTest {
    /** Fails the first attempt of every third entry; records what was accepted. */
    private static final class FlakyBus implements EventBridgeClient {
        final List<Integer> batchSizes = new ArrayList<>();
        final List<String> accepted = new ArrayList<>();
        final Set<String> failedOnce = new HashSet<>();
        @Override public String serviceName() { return "events"; }
        @Override public void close() { }
        @Override public PutEventsResponse putEvents(PutEventsRequest r) {
            batchSizes.add(r.entries().size());
            List<PutEventsResultEntry> results = new ArrayList<>();
            for (var e : r.entries()) {
                String key = e.detail();
                if (key.contains("\"cacheId\":\"c3\"") || key.contains("\"cacheId\":\"c6\"")) {
                    if (failedOnce.add(key)) {
                        results.add(PutEventsResultEntry.builder().errorCode("ThrottlingException").build());
                        continue;
                    }
                }
                accepted.add(key);
                results.add(PutEventsResultEntry.builder().eventId("id-" + accepted.size()).build());
            }
            return PutEventsResponse.builder().entries(results)
                    .failedEntryCount((int) results.stream().filter(x -> x.errorCode() != null).count()).build();
        }
    }

    @Test
    void batchesByTenAndResendsOnlyTheFailedEntries() {
        FlakyBus bus = new FlakyBus();
        EventBusPublisher p = new EventBusPublisher(bus, "cachekeeper", Retrier.standard(Clock.systemUTC(), d -> { }),
                d -> { });
        List<CacheEvent> events = IntStream.range(0, 23).mapToObj(i -> CacheEvent.builder(CacheKind.REPLICATION_GROUP,
                "c" + i, Instant.parse("2026-11-21T10:00:00Z"), Origin.SNS).dedupKey("k" + i).build()).toList();

        EventBusPublisher.Outcome out = p.publish(DetailTypes.FAILOVER_COMPLETED, events);

        assertEquals(23, out.published());
        assertEquals(List.of(), out.failed());
        assertEquals(List.of(10, 10, 3, 2), bus.batchSizes);
        assertEquals(23, bus.accepted.size());
        assertEquals(23, new HashSet<>(bus.accepted).size());
    }
}
