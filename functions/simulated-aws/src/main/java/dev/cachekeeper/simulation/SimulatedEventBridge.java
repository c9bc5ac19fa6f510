package dev.cachekeeper.simulation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import dev.cachekeeper.core.Json;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InternalException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.ThrottlingException;

/**
 * EventBridge buses of the simulated account. Simulated operation: PutEvents, with its limits: 1 to 10 entries per
 * call and 256 KB per request (ValidationException for the whole call); Source, DetailType and a JSON object Detail
 * per entry (a per-entry {@code InvalidArgument} otherwise). Per-entry failures can be injected with
 * {@link #failNextEntries(int, String)}: the call then succeeds with a FailedEntryCount, as PutEvents does.
 * Any bus name is accepted.
 */
public final class SimulatedEventBridge implements EventBridgeClient {
    static final ServiceErrors ERRORS = new ServiceErrors("EventBridge", EventBridgeException::builder, Map.of(
            "ResourceNotFoundException", new ServiceErrors.Modelled(400, ResourceNotFoundException::builder),
            "InternalException", new ServiceErrors.Modelled(500, InternalException::builder),
            "ThrottlingException", new ServiceErrors.Modelled(400, ThrottlingException::builder)),
            "ThrottlingException", 400);
    static final int MAX_ENTRIES = 10;
    static final int MAX_REQUEST_BYTES = 256 * 1024;

    private final SimulatedAws aws;
    private final Gate gate;
    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<RecordedEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Deque<String> entryFailures = new ArrayDeque<>();

    SimulatedEventBridge(SimulatedAws aws) {
        this.aws = aws;
        this.gate = new Gate(aws, "events", ERRORS);
    }

    // ---- helpers ----

    /** Entries sent with PutEvents, in order. */
    public List<RecordedEvent> putEvents() {
        return events.stream().filter(e -> e.publishedBy().equals("api")).toList();
    }

    /** Everything that reached a bus: PutEvents entries and events emitted by AWS services. */
    public List<RecordedEvent> events() {
        return List.copyOf(events);
    }

    public List<RecordedEvent> events(String detailType) {
        return events.stream().filter(e -> e.detailType().equals(detailType)).toList();
    }

    public void clearEvents() {
        events.clear();
    }

    /** Calls {@code subscriber} for every event that reaches any bus from now on (after the call that put it). */
    public void subscribe(Consumer<RecordedEvent> subscriber) {
        subscribers.add(subscriber);
    }

    /**
     * The next {@code n} entries (across calls) are rejected with {@code errorCode} (e.g. {@code ThrottlingException},
     * {@code InternalFailure}); the rest of their call goes through.
     */
    public void failNextEntries(int n, String errorCode) {
        aws.locked(() -> {
            for (int i = 0; i < n; i++) {
                entryFailures.add(errorCode);
            }
            return null;
        });
    }

    /**
     * An event an AWS service delivers to the account's default bus (e.g. a CloudTrail record, source
     * {@code aws.elasticache}), for scenarios that play the part of such a service. Not a PutEvents call: not in
     * the call log, and {@code publishedBy} is the source.
     */
    public void deliverFromAws(String source, String detailType, Object detail, List<String> resources) {
        aws.locked(() -> {
            deliverFromService(source, detailType, detail, resources);
            return null;
        });
    }

    /** An event from an AWS service (serverless caches, CloudTrail) on the default bus. Caller holds the lock. */
    void deliverFromService(String source, String detailType, Object detail, List<String> resources) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(detail);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        record(new RecordedEvent(UUID.randomUUID().toString(), "default", source, detailType, json,
                List.copyOf(resources), aws.clock().now(), source));
    }

    private void record(RecordedEvent e) {
        events.add(e);
        List<Consumer<RecordedEvent>> subs = new ArrayList<>(subscribers);
        aws.afterUnlock(() -> subs.forEach(s -> s.accept(e)));
    }

    // ---- EventBridgeClient ----

    @Override
    public PutEventsResponse putEvents(PutEventsRequest r) {
        int n = r.hasEntries() ? r.entries().size() : 0;
        return gate.call("PutEvents", true, Gate.params("Entries", n), () -> {
            if (n < 1 || n > MAX_ENTRIES) {
                throw ERRORS.error("ValidationException", "1 validation error detected: Value '" + n
                        + "' at 'entries' failed to satisfy constraint: Member must have length less than or equal to "
                        + MAX_ENTRIES + " and greater than or equal to 1");
            }
            long size = r.entries().stream().mapToLong(SimulatedEventBridge::entrySize).sum();
            if (size > MAX_REQUEST_BYTES) {
                throw ERRORS.error("ValidationException",
                        "Total size of the entries in the request is over the limit (" + size + " > "
                                + MAX_REQUEST_BYTES + " bytes).");
            }
            List<PutEventsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutEventsRequestEntry e : r.entries()) {
                String problem = invalid(e);
                String injected = problem == null ? entryFailures.poll() : null;
                if (problem != null || injected != null) {
                    failed++;
                    results.add(PutEventsResultEntry.builder()
                            .errorCode(problem != null ? "InvalidArgument" : injected)
                            .errorMessage(problem != null ? problem : "Injected failure " + injected)
                            .build());
                    continue;
                }
                String id = UUID.randomUUID().toString();
                String bus = e.eventBusName() == null ? "default"
                        : e.eventBusName().substring(e.eventBusName().lastIndexOf('/') + 1);
                record(new RecordedEvent(id, bus, e.source(), e.detailType(), e.detail(),
                        e.hasResources() ? List.copyOf(e.resources()) : List.of(),
                        e.time() != null ? e.time() : aws.clock().now(), "api"));
                results.add(PutEventsResultEntry.builder().eventId(id).build());
            }
            return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
        });
    }

    private static String invalid(PutEventsRequestEntry e) {
        if (e.source() == null || e.source().isBlank()) {
            return "Parameter Source is not valid. Reason: Source is a required argument.";
        }
        if (e.detailType() == null || e.detailType().isBlank()) {
            return "Parameter DetailType is not valid. Reason: DetailType is a required argument.";
        }
        if (e.detail() == null) {
            return "Parameter Detail is not valid. Reason: Detail is a required argument.";
        }
        try {
            if (!Json.MAPPER.readTree(e.detail()).isObject()) {
                return "Detail is malformed.";
            }
        } catch (Exception ex) {
            return "Detail is malformed.";
        }
        return null;
    }

    /** EventBridge's documented entry size: Time (14 bytes), Source, DetailType, Detail and Resources in UTF-8. */
    static long entrySize(PutEventsRequestEntry e) {
        long size = e.time() != null ? 14 : 0;
        for (String s : new String[]{e.source(), e.detailType(), e.detail()}) {
            size += s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (e.hasResources()) {
            for (String s : e.resources()) {
                size += s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return size;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
