package dev.cachekeeper.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class SnapshotArchiverHandlerTest {
    private final SimulatedAws aws = new ArchiveWorld().build();
    private final SnapshotArchiverHandler handler = new SnapshotArchiverHandler(
            ArchiveWorld.archiver(aws, ArchiveWorld.settings()), new RecordingMetrics());
    private final LocalContext context = new LocalContext("snapshot-archiver", aws.clock(), Duration.ofMinutes(15));

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Map<String, Object> invoke(Map event) {
        return handler.handle((Map<String, Object>) event, context);
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-automatic.json", type = Map.class)
    void aCompletedAutomaticSnapshotIsCopied(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("copied", out.get("outcome"));
        assertEquals("cachekeeper-archive-automatic-orders-cache-2026-11-21-04-30", out.get("copy"));
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-node-only.json", type = Map.class)
    void aNodeOnlyNotificationCopiesTheNewestSnapshot(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("automatic.orders-cache-2026-11-21-04-30", out.get("snapshot"));
        assertEquals("copied", out.get("outcome"));
    }

    @ParameterizedTest
    @Event(value = "events/cachekeeper-snapshot-completed-serverless.json", type = Map.class)
    void aServerlessSnapshotIsCopied(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("copied", out.get("outcome"));
        assertEquals(1, aws.callLog().of("CopyServerlessCacheSnapshot").stream().filter(ApiCall::ok).count());
    }

    @ParameterizedTest
    @Event(value = "events/schedule-archiver-sweep.json", type = Map.class)
    void theDailyScheduleSweeps(Map<?, ?> event) {
        Map<String, Object> out = invoke(event);
        assertEquals("sweep", out.get("action"));
        assertEquals(5, out.get("copied"));
    }

    @Test
    void anOnDemandDryRunSweepChangesNothing() {
        Map<String, Object> out = invoke(Map.of("action", "sweep", "dryRun", true));
        assertEquals(true, out.get("dryRun"));
        assertEquals(5, out.get("wouldCopy"));
        assertEquals(0, aws.callLog().mutating().size());
    }

    @Test
    void somethingElseIsRejectedWithoutSideEffects() {
        Map<String, Object> out = invoke(Map.of("detail-type", "Failover Completed", "source", "cachekeeper",
                "detail", Map.of()));
        assertEquals("rejected", out.get("outcome"));
        assertTrue(aws.callLog().calls().isEmpty());
        assertEquals("rejected", invoke(Map.of("action", "sweep", "dryRun", "perhaps")).get("outcome"));
        assertEquals("rejected", invoke(Map.of("hello", "world")).get("outcome"));
    }

    // ---- through the stream entry point Lambda calls: the sample's bytes in, JSON out ----

    @Test
    void theDeployedEntryPointCopiesTheCompletedSample() throws IOException {
        JsonNode out = StreamHandlers.invoke(handler, sample("cachekeeper-snapshot-completed-automatic.json"), context);
        assertEquals("copied", out.path("outcome").asText(), out.toString());
        assertEquals("cachekeeper-archive-automatic-orders-cache-2026-11-21-04-30", out.path("copy").asText());
    }

    @Test
    void theDeployedEntryPointSweepsOnTheScheduleSample() throws IOException {
        JsonNode out = StreamHandlers.invoke(handler, sample("schedule-archiver-sweep.json"), context);
        assertEquals("sweep", out.path("action").asText(), out.toString());
        assertEquals(5, out.path("copied").asInt());
    }

    @Test
    void theDeployedEntryPointRejectsInputThatIsNotJson() {
        JsonNode out = StreamHandlers.invoke(handler, "{\"action\": swe".getBytes(StandardCharsets.UTF_8), context);
        assertEquals("rejected", out.path("outcome").asText());
        assertTrue(out.path("reason").asText().contains("not a JSON object"), out.toString());
        assertTrue(aws.callLog().calls().isEmpty());
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = SnapshotArchiverHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }
}
