package dev.cachekeeper.core.event;

import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.Retrier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts normalized events on the project's bus: at most 10 entries per PutEvents call and 256 KB per entry (the
 * API's limits), and after a partial failure only the failed entries are sent again.
 */
public final class EventBusPublisher {
    public static final int MAX_ENTRIES_PER_CALL = 10;
    public static final int MAX_ENTRY_BYTES = 256 * 1024;
    static final int MAX_ROUNDS = 5;

    private final EventBridgeClient eventBridge;
    private final String busName;
    private final Retrier retrier;
    private final Retrier.Sleeper sleeper;

    public EventBusPublisher(EventBridgeClient eventBridge, String busName, Retrier retrier, Retrier.Sleeper sleeper) {
        this.eventBridge = eventBridge;
        this.busName = busName;
        this.retrier = retrier;
        this.sleeper = sleeper;
    }

    /** What happened to a batch: events that could not be put after every round are returned, never dropped. */
    public record Outcome(int published, List<Failed> failed) {
    }

    public record Failed(String detailType, String dedupKey, String error, String detail) {
    }

    public Outcome publish(String detailType, List<CacheEvent> events) {
        List<PutEventsRequestEntry> pending = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        List<CacheEvent> pendingEvents = new ArrayList<>();
        for (CacheEvent e : events) {
            String detail = Json.MAPPER.valueToTree(e).toString();
            PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(DetailTypes.SOURCE)
                    .detailType(detailType)
                    .time(e.time())
                    .detail(detail)
                    .build();
            if (entrySize(entry) > MAX_ENTRY_BYTES) {
                failed.add(new Failed(detailType, e.dedupKey(), "EntryTooLarge",
                        "the event is larger than EventBridge's 256 KB entry limit"));
                continue;
            }
            pending.add(entry);
            pendingEvents.add(e);
        }
        int published = 0;
        List<String> errors = new ArrayList<>();
        for (int round = 1; round <= MAX_ROUNDS && !pending.isEmpty(); round++) {
            if (round > 1 && !pause(round)) {
                break;
            }
            List<PutEventsRequestEntry> retry = new ArrayList<>();
            List<CacheEvent> retryEvents = new ArrayList<>();
            errors = new ArrayList<>();
            for (int i = 0; i < pending.size(); i += MAX_ENTRIES_PER_CALL) {
                List<PutEventsRequestEntry> batch = pending.subList(i, Math.min(i + MAX_ENTRIES_PER_CALL, pending.size()));
                PutEventsResponse response = retrier.call(() -> eventBridge.putEvents(b -> b.entries(batch)));
                List<PutEventsResultEntry> results = response.entries();
                for (int j = 0; j < batch.size(); j++) {
                    PutEventsResultEntry r = j < results.size() ? results.get(j) : null;
                    if (r != null && r.eventId() != null && r.errorCode() == null) {
                        published++;
                    } else {
                        retry.add(batch.get(j));
                        retryEvents.add(pendingEvents.get(i + j));
                        errors.add(r == null ? "NoResult" : r.errorCode() + ": " + r.errorMessage());
                    }
                }
            }
            pending = retry;
            pendingEvents = retryEvents;
        }
        for (int k = 0; k < pendingEvents.size(); k++) {
            String error = k < errors.size() ? errors.get(k) : "NotSent";
            failed.add(new Failed(detailType, pendingEvents.get(k).dedupKey(), error, null));
        }
        return new Outcome(published, failed);
    }

    private boolean pause(int round) {
        try {
            sleeper.sleep(java.time.Duration.ofMillis(100L << round));
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** EventBridge counts source, detail-type, detail, resources and time toward the entry size. */
    static int entrySize(PutEventsRequestEntry e) {
        int size = 14; // time
        size += utf8(e.source()) + utf8(e.detailType()) + utf8(e.detail());
        if (e.resources() != null) {
            for (String r : e.resources()) {
                size += utf8(r);
            }
        }
        return size;
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
