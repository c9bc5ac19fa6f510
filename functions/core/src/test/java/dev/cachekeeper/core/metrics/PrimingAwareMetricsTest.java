package dev.cachekeeper.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Priming;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools' flush logs a "No metrics were emitted" warning when nothing was counted, after the invocation's
 * logging context is gone; the wrapper only flushes what was counted (or when asked to raise on empty metrics).
 */
class PrimingAwareMetricsTest {
    private final List<String> calls = new ArrayList<>();
    private final Metrics powertools = (Metrics) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Metrics.class}, (proxy, method, args) -> {
                calls.add(method.getName());
                return null;
            });
    private final PrimingAwareMetrics metrics = new PrimingAwareMetrics(powertools);

    @Test
    void anInvocationThatCountedNothingFlushesNothing() {
        metrics.flush();

        assertEquals(List.of(), calls);
    }

    @Test
    void whatWasCountedIsFlushedOnceAndTheNextEmptyInvocationFlushesNothing() {
        metrics.addMetric("Failovers", 1, MetricUnit.COUNT);
        metrics.flush();
        metrics.flush();

        assertEquals(List.of("addMetric", "flush"), calls);
    }

    @Test
    void raisingOnEmptyMetricsStillReachesPowertools() {
        metrics.setRaiseOnEmptyMetrics(true);
        metrics.flush();

        assertEquals(List.of("setRaiseOnEmptyMetrics", "flush"), calls);
    }

    @Test
    void whilePrimingNothingReachesPowertoolsButTheMetricFormatWriterIsWarmed() throws Exception {
        Priming.register(() -> {
            metrics.addMetric("Failovers", 1, MetricUnit.COUNT);
            metrics.flush();
        }).prime();

        assertEquals(List.of(), calls, "nothing counted while priming is emitted");
        assertTrue(EmfWarmUp.done());
        JsonNode doc = Json.MAPPER.readTree(EmfWarmUp.document().get(0));
        assertEquals("cachekeeper", doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText(),
                "the warm-up serializes a whole embedded-metric document: " + doc);
        assertEquals("Primed", doc.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText());
    }
}
