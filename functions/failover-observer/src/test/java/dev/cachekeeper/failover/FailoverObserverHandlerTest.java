package dev.cachekeeper.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The handler on the sample events in {@code events/}, against the simulated account. */
class FailoverObserverHandlerTest {

    private static Map<String, Object> invoke(FailoverScenario s, ScheduledEvent event) {
        var context = new LocalContext("failover-observer", s.aws.clock(), Duration.ofSeconds(60));
        return new FailoverObserverHandler(s.observer).handle(event, context);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> failover(Map<String, Object> result) {
        return (Map<String, Object>) result.get("failover");
    }

    @Test
    void startThenCompletionGiveOneAlertWithTheDuration() {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.advanceTo(Instant.parse("2026-11-21T10:15:30Z"));
        var started = invoke(s, EventLoader.loadScheduledEvent("events/cachekeeper-failover-started.json"));
        s.aws.advanceTo(Instant.parse("2026-11-21T10:15:34Z"));
        s.aws.elastiCache().failover("orders-cache", "0001");
        s.aws.advance(Duration.ofSeconds(20)); // ingest and the bus take a moment

        var completed = invoke(s, EventLoader.loadScheduledEvent("events/cachekeeper-failover-completed.json"));

        assertEquals("START_RECORDED", started.get("outcome"));
        assertEquals("REPORTED", completed.get("outcome"));
        assertEquals("orders-cache failed over: shard 0001 now on orders-cache-002 (4 s)", completed.get("detail"));
        assertEquals(4.0, failover(completed).get("durationSeconds"));
        assertEquals(1, s.alerts().size());
        assertEquals(1, s.metrics.sum("Failovers"), "the handler flushes the metrics");
        assertEquals(4.0, s.metrics.sum("FailoverDurationSeconds"));
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-failover-completed-cluster-mode.json", type = ScheduledEvent.class)
    void clusterModeEnabledCompletionCarriesItsShard(ScheduledEvent event) {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.advanceTo(Instant.parse("2026-11-21T03:42:18Z"));
        s.aws.elastiCache().failover("sessions", "0002");
        s.aws.advance(Duration.ofSeconds(15));

        var result = invoke(s, event);

        assertEquals("REPORTED", result.get("outcome"));
        assertEquals("0002", failover(result).get("shardId"));
        assertEquals(true, failover(result).get("clusterMode"));
        assertEquals("sessions-0002-002", failover(result).get("newPrimary"));
        assertEquals("sessions", s.alerts().get(0).attributes().get("cache_id"));
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-failover-completed.json", type = ScheduledEvent.class)
    void malformedDetailIsAcknowledgedWithoutAnAlert(ScheduledEvent event) {
        FailoverScenario s = FailoverScenario.defaultWorld();
        Map<String, Object> detail = new HashMap<>(event.getDetail());
        detail.remove("cacheId");
        event.setDetail(detail);

        var result = invoke(s, event);

        assertEquals("MALFORMED", result.get("outcome"));
        assertEquals("detail.cacheId is required", result.get("detail"));
        assertEquals(0, s.alerts().size());
        assertTrue(s.aws.dynamoDb().items(FailoverScenario.TABLE).isEmpty(), "no claim, no mark");
        assertTrue(s.aws.calls().stream().noneMatch(c -> c.service().equals("elasticache")));
    }

    @Test
    void notAnEventBridgeEventAtAllIsAcknowledged() {
        FailoverScenario s = FailoverScenario.defaultWorld();

        var result = invoke(s, new ScheduledEvent());

        assertEquals("MALFORMED", result.get("outcome"));
        assertEquals(0, s.alerts().size());
    }

    // ---- through the stream entry point Lambda calls: the sample's bytes in, JSON out ----

    private static JsonNode invokeStream(FailoverScenario s, byte[] input) {
        var context = new LocalContext("failover-observer", s.aws.clock(), Duration.ofSeconds(60));
        return StreamHandlers.invoke(new FailoverObserverHandler(s.observer), input, context);
    }

    @Test
    void theDeployedEntryPointReportsTheCompletedSample() throws Exception {
        FailoverScenario s = FailoverScenario.defaultWorld();
        s.aws.advanceTo(Instant.parse("2026-11-21T10:15:34Z"));
        s.aws.elastiCache().failover("orders-cache", "0001");
        s.aws.advance(Duration.ofSeconds(20));

        JsonNode result = invokeStream(s, sample("cachekeeper-failover-completed.json"));

        assertEquals("REPORTED", result.path("outcome").asText(), result.toString());
        assertEquals("orders-cache", s.alerts().get(0).attributes().get("cache_id"));
        assertEquals(1, s.metrics.sum("Failovers"), "the handler flushes the metrics");
    }

    @Test
    void theDeployedEntryPointAcknowledgesInputThatIsNotJson() {
        FailoverScenario s = FailoverScenario.defaultWorld();

        JsonNode result = invokeStream(s, "{\"detail-type\": \"Failover Comp".getBytes(StandardCharsets.UTF_8));

        assertEquals("MALFORMED", result.path("outcome").asText());
        assertTrue(result.path("detail").asText().contains("not valid JSON"), result.toString());
        assertEquals(0, s.alerts().size());
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = FailoverObserverHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }
}
