package dev.cachekeeper.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.Event;

/** The rules behind warnings and start matching, on shapes the simulation cannot produce. */
class FindingsTest {

    @Test
    void aShardWithOnlyItsPrimaryLeftHasNoReplica() {
        var shard = new Topology.Shard("0001", "available",
                List.of(new Topology.Node("orders-cache-002", "eu-west-1b", "primary", "available")));
        var t = new Topology("available", false, "enabled", "enabled", List.of(shard), null);

        assertEquals(List.of("shard 0001 has no replica: another failure of orders-cache-002 loses the shard"),
                TopologyCheck.findings(t, "0001", "orders-cache-002"));
    }

    @Test
    void startWordingIsMatchedLooselyAndOnlyForTheRightShard() {
        assertTrue(FailoverStarts.isStartOf(event("Test Failover API called for node group 0002"), "0002"));
        assertFalse(FailoverStarts.isStartOf(event("Test Failover API called for node group 0001"), "0002"));
        assertTrue(FailoverStarts.isStartOf(event("Failover to replica node x-002 started"), "0001"));
        assertFalse(FailoverStarts.isStartOf(event("Failover to replica node x-002 completed"), "0001"));
        assertFalse(FailoverStarts.isStartOf(event("Recovering cache nodes 0001"), "0001"));
    }

    private static Event event(String message) {
        return Event.builder().message(message).date(Instant.parse("2026-11-01T10:00:00Z"))
                .sourceIdentifier("x").build();
    }
}
