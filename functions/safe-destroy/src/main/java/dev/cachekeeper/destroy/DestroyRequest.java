package dev.cachekeeper.destroy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/**
 * A {@code Cache Destroy Requested} event, validated: the one event people write by hand, so every error names the
 * field and says what is expected.
 *
 * <pre>{"cacheKind": "replication-group", "cacheId": "orders", "requester": "jane@example.com",
 *  "reason": "decommissioned after the move to orders-v2", "deleteAfterSnapshot": true, "finalSnapshot": false}</pre>
 *
 * @param requestedAt the event's time: the snapshot name's time bucket is taken from it, so a re-sent request
 *                    (a retried {@code terraform destroy}) finds the snapshot the first one took
 * @param requestId   the EventBridge event id, for logs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestroyRequest(CacheKind cacheKind, String cacheId, String requester, String reason,
                             boolean deleteAfterSnapshot, boolean finalSnapshot, Instant requestedAt,
                             String requestId) {
    /** Tag values are at most 256 characters; requester and reason go into tags. */
    static final int MAX_TEXT = 256;
    static final Set<String> FIELDS = Set.of("cacheKind", "cacheId", "requester", "reason", "deleteAfterSnapshot",
            "finalSnapshot");

    /** Reads and validates the whole EventBridge event a rule hands to the state machine. */
    public static DestroyRequest fromEvent(JsonNode event) {
        BusEvent bus = BusEvent.parse(event);
        if (!DetailTypes.REQUEST_SOURCE.equals(bus.source())) {
            throw new MalformedEventException("source: expected '" + DetailTypes.REQUEST_SOURCE + "' but got '"
                    + Truncate.of(bus.source(), 64) + "'");
        }
        if (!DetailTypes.CACHE_DESTROY_REQUESTED.equals(bus.detailType())) {
            throw new MalformedEventException("detail-type: expected '" + DetailTypes.CACHE_DESTROY_REQUESTED
                    + "' but got '" + Truncate.of(bus.detailType(), 64) + "'");
        }
        if (bus.time() == null) {
            throw new MalformedEventException("time: the event has no time (EventBridge always sets it)");
        }
        return fromDetail(bus.detail(), bus.time(), bus.id());
    }

    public static DestroyRequest fromDetail(JsonNode detail, Instant requestedAt, String requestId) {
        if (detail == null || !detail.isObject()) {
            throw new MalformedEventException("detail: must be a JSON object like {\"cacheKind\": \"replication-group\","
                    + " \"cacheId\": \"orders\", \"requester\": \"...\", \"reason\": \"...\"}");
        }
        // An unknown field is most likely a misspelt one (say "deleteAfterSnapshots"): refuse rather than ignore.
        for (Iterator<String> it = detail.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new MalformedEventException("detail." + Truncate.of(f, 64) + ": unknown field (expected "
                        + "cacheKind, cacheId, requester, reason, deleteAfterSnapshot, finalSnapshot)");
            }
        }
        CacheKind kind;
        try {
            kind = CacheKind.fromWire(text(detail, "cacheKind", 64));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("detail.cacheKind: " + e.getMessage());
        }
        String cacheId = text(detail, "cacheId", CacheEvents.MAX_ID_LENGTH);
        CacheEvents.checkId("detail.cacheId", cacheId);
        String requester = text(detail, "requester", MAX_TEXT);
        String reason = text(detail, "reason", MAX_TEXT);
        boolean delete = flag(detail, "deleteAfterSnapshot");
        boolean finalSnapshot = flag(detail, "finalSnapshot");
        if (finalSnapshot && !delete) {
            throw new MalformedEventException("detail.finalSnapshot: only meaningful with \"deleteAfterSnapshot\": true");
        }
        return new DestroyRequest(kind, cacheId, requester, reason, delete, finalSnapshot, requestedAt, requestId);
    }

    private static String text(JsonNode detail, String field, int max) {
        JsonNode v = detail.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedEventException("detail." + field + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new MalformedEventException("detail." + field + " must be a non-empty string");
        }
        String s = v.asText().strip();
        if (s.length() > max) {
            throw new MalformedEventException("detail." + field + " must be at most " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new MalformedEventException("detail." + field + " must not contain control characters");
            }
        }
        return s;
    }

    private static boolean flag(JsonNode detail, String field) {
        JsonNode v = detail.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new MalformedEventException("detail." + field + " must be true or false (a JSON boolean, not "
                    + Truncate.of(v.toString(), 32) + ")");
        }
        return v.asBoolean();
    }
}
