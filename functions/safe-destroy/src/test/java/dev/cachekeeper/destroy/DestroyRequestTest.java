package dev.cachekeeper.destroy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.MalformedEventException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestroyRequestTest {

    @ParameterizedTest
    @Event(value = "events/cachekeeper-request-destroy-serverless.json", type = ScheduledEvent.class)
    void theServerlessSampleAsLambdaDeliversIt(ScheduledEvent event) {
        // the shape Lambda's serializer gives (through the state machine the same JSON arrives as a map)
        assertEquals("cachekeeper.request", event.getSource());
        DestroyRequest r = DestroyRequest.fromEvent(Fixture.sample("cachekeeper-request-destroy-serverless.json"));
        assertEquals(CacheKind.SERVERLESS_CACHE, r.cacheKind());
        assertEquals("catalog", r.cacheId());
        assertTrue(r.deleteAfterSnapshot());
    }

    @Test
    void samplesParse() {
        DestroyRequest snapshotOnly = DestroyRequest.fromEvent(
                Fixture.sample("cachekeeper-request-destroy-snapshot-only.json"));
        assertEquals(CacheKind.REPLICATION_GROUP, snapshotOnly.cacheKind());
        assertEquals(false, snapshotOnly.deleteAfterSnapshot());
        DestroyRequest delete = DestroyRequest.fromEvent(Fixture.sample("cachekeeper-request-destroy-delete.json"));
        assertTrue(delete.deleteAfterSnapshot() && delete.finalSnapshot());
        assertEquals("3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", delete.requestId());
        assertEquals("2026-11-21T10:15:00Z", delete.requestedAt().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no cacheKind         | cacheKind           | detail.cacheKind is required",
        "unknown cacheKind    | cacheKind=memcached | detail.cacheKind: unknown cache kind 'memcached'",
        "no cacheId           | cacheId             | detail.cacheId is required",
        "cacheId with a space | cacheId=orders cache| detail.cacheId: 'orders cache' has a character",
        "no requester         | requester           | detail.requester is required",
        "empty reason         | reason=             | detail.reason must be a non-empty string",
        "string flag          | deleteAfterSnapshot=yes | detail.deleteAfterSnapshot must be true or false",
        "misspelt field       | +deleteAfterSnapshots | detail.deleteAfterSnapshots: unknown field",
    })
    void everyErrorNamesTheField(String name, String change, String expected) {
        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> DestroyRequest.fromEvent(edited(d -> apply(d, change.strip()))));
        assertTrue(e.getMessage().startsWith(expected.strip()), e.getMessage());
    }

    @Test
    void finalSnapshotWithoutDeleteIsRefused() {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> DestroyRequest.fromEvent(
                edited(d -> d.put("deleteAfterSnapshot", false).put("finalSnapshot", true))));
        assertTrue(e.getMessage().startsWith("detail.finalSnapshot"), e.getMessage());
    }

    @Test
    void tooLongReasonIsRefused() {
        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> DestroyRequest.fromEvent(edited(d -> d.put("reason", "x".repeat(257)))));
        assertTrue(e.getMessage().startsWith("detail.reason must be at most 256"), e.getMessage());
    }

    @Test
    void ourOwnSourceIsNotARequest() {
        ObjectNode event = (ObjectNode) Fixture.sample("cachekeeper-request-destroy-delete.json");
        event.put("source", "cachekeeper");
        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> DestroyRequest.fromEvent(event));
        assertTrue(e.getMessage().startsWith("source: expected 'cachekeeper.request'"), e.getMessage());
    }

    private static ObjectNode edited(Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) Fixture.sample("cachekeeper-request-destroy-delete.json");
        edit.accept((ObjectNode) event.get("detail"));
        return event;
    }

    // "field" removes it, "field=value" sets a string, "+field" adds an unknown boolean field
    private static void apply(ObjectNode d, String change) {
        if (change.startsWith("+")) {
            d.put(change.substring(1), true);
        } else if (change.contains("=")) {
            String[] kv = change.split("=", 2);
            d.put(kv[0], kv[1]);
        } else {
            d.remove(change);
        }
    }
}
