package dev.cachekeeper.destroy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cachekeeper.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler as the state machine calls it: {"action": ..., "event"|"flow"|"state": ...}. */
class SafeDestroyHandlerTest {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @ParameterizedTest
    @ValueSource(strings = {"cachekeeper-request-destroy-snapshot-only.json", "cachekeeper-request-destroy-delete.json",
            "cachekeeper-request-destroy-cluster-mode-enabled.json", "cachekeeper-request-destroy-serverless.json"})
    void everyRequestSampleStartsASnapshot(String sample) {
        Fixture f = new Fixture();
        Map<String, Object> input = Map.of("action", "snapshot",
                "event", Json.MAPPER.convertValue(f.request(sample), MAP));

        Map<String, Object> flow = f.handler().handle(input, new LocalContext("safe-destroy"));

        assertEquals(true, flow.get("ok"), String.valueOf(flow));
        assertEquals("creating", flow.get("snapshotStatus"));
        assertTrue(String.valueOf(flow.get("snapshotName")).startsWith("cachekeeper-pre-destroy-"));
        assertEquals(30, flow.get("waitSeconds"));
    }

    @Test
    void theStreamEntryPointAnswersTheSnapshotStepAsJson() throws Exception {
        Fixture f = new Fixture();
        byte[] input = ("{\"action\":\"snapshot\",\"event\":"
                + Json.MAPPER.writeValueAsString(f.request("cachekeeper-request-destroy-snapshot-only.json")) + "}")
                .getBytes(StandardCharsets.UTF_8);

        JsonNode flow = StreamHandlers.invoke(f.handler(), input, new LocalContext("safe-destroy"));

        assertTrue(flow.path("ok").asBoolean(), flow.toString());
        assertEquals("creating", flow.path("snapshotStatus").asText());
        assertEquals(1, f.calls("CreateSnapshot").size());
    }

    @Test
    void theStreamEntryPointLetsTheStepsErrorThrough() {
        Fixture f = new Fixture();
        // Step Functions names the error by the exception's class: it must not be wrapped.
        assertThrows(IllegalArgumentException.class, () -> StreamHandlers.invoke(f.handler(),
                "{\"action\":\"explode\"}".getBytes(StandardCharsets.UTF_8), new LocalContext("safe-destroy")));
    }

    @Test
    void anUnknownActionIsAProgrammingError() {
        Fixture f = new Fixture();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.handler().handle(Map.of("action", "explode"), new LocalContext("safe-destroy")));
        assertTrue(e.getMessage().contains("unknown action 'explode'"));
    }
}
