package dev.cachekeeper.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CacheEventsTest {
    private static ObjectNode valid() {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("kind", "replication-group");
        d.put("cacheId", "orders-cache");
        d.put("time", "2026-11-21T10:00:00Z");
        d.put("origin", "sns");
        d.put("dedupKey", "k1");
        return d;
    }

    @Test
    void roundTripsThroughTheDetailJson() {
        CacheEvent e = CacheEvent.builder(CacheKind.REPLICATION_GROUP, "orders-cache",
                        Instant.parse("2026-11-21T10:00:00Z"), Origin.SNS)
                .dedupKey("k1").shardId("0001").newPrimary("orders-cache-0001-002")
                .finalSnapshotRequested(true).attributes(Map.of("a", "b")).build();
        assertEquals(e, CacheEvents.fromDetail(CacheEvents.toDetail(e)));
        assertEquals("replication-group", CacheEvents.toDetail(e).get("kind").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "kind|cache|detail.kind",
        "cacheId|orders;rm -rf|detail.cacheId",
        "time|yesterday|detail.time",
        "origin|pigeon|detail.origin",
    })
    void badFieldsAreNamed(String field, String value, String expectedInMessage) {
        ObjectNode d = valid();
        d.put(field, value);
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> CacheEvents.fromDetail(d));
        assertTrue(e.getMessage().startsWith(expectedInMessage), e.getMessage());
    }

    @Test
    void missingAndWronglyTypedFieldsAreNamed() {
        ObjectNode d = valid();
        d.remove("dedupKey");
        assertEquals("detail.dedupKey is required",
                assertThrows(MalformedEventException.class, () -> CacheEvents.fromDetail(d)).getMessage());
        ObjectNode d2 = valid();
        d2.put("cacheId", 42);
        assertEquals("detail.cacheId must be a non-empty string",
                assertThrows(MalformedEventException.class, () -> CacheEvents.fromDetail(d2)).getMessage());
    }

    @Test
    void dedupKeysAreDeterministicAndPartAware() {
        assertEquals(CacheEvents.dedupKey("a", "b"), CacheEvents.dedupKey("a", "b"));
        assertNotEquals(CacheEvents.dedupKey("ab", ""), CacheEvents.dedupKey("a", "b"));
        assertEquals(32, CacheEvents.dedupKey("x").length());
    }

    @Test
    void envelopeWithoutDetailTypeIsRejected() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("source", "cachekeeper");
        assertThrows(MalformedEventException.class, () -> BusEvent.parse(n));
        ObjectNode env = (ObjectNode) BusEvent.envelope("Failover Completed", "aws.elasticache",
                Instant.parse("2026-11-21T10:00:00Z"), valid());
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> BusEvent.parse(env).cacheEvent());
        assertTrue(e.getMessage().contains("aws.elasticache"));
    }
}
