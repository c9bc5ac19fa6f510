package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * What a state machine sees of a task: its output object, and its error unchanged, with the metrics sent either
 * way.
 */
class StateMachineTaskHandlerTest {
    private final RecordingMetrics metrics = new RecordingMetrics();

    /** A task that greets whom its input names, counts the greeting, and fails on request. */
    private static final class GreetingTask extends StateMachineTaskHandler {
        final List<Map<String, Object>> inputs = new ArrayList<>();

        GreetingTask(Metrics metrics) {
            super(metrics);
        }

        record Greeting(String text, int length) {
        }

        @Override
        protected Greeting step(Map<String, Object> input) {
            inputs.add(input);
            metrics.addMetric("Greeted", 1, MetricUnit.COUNT);
            if (input.containsKey("fail")) {
                throw new IllegalStateException("asked to fail");
            }
            String text = "hello " + input.get("name");
            return new Greeting(text, text.length());
        }
    }

    @Test
    void theStepsResultIsTheTasksOutputObject() {
        JsonNode output = StreamHandlers.invoke(new GreetingTask(metrics),
                "{\"name\":\"orders-cache\"}".getBytes(StandardCharsets.UTF_8), new LocalContext("GreetingFunction"));

        assertEquals("hello orders-cache", output.path("text").asText());
        assertEquals(18, output.path("length").asInt());
        assertEquals(1.0, metrics.sum("Greeted"), "the step's metric was flushed");
    }

    @Test
    void inputThatIsNotJsonIsRefusedWithTheReasonAndTheStepNeverRuns() {
        GreetingTask task = new GreetingTask(metrics);

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> StreamHandlers.invoke(task,
                "name=orders-cache".getBytes(StandardCharsets.UTF_8), new LocalContext("GreetingFunction")));

        assertTrue(e.getMessage().startsWith("the input is not a JSON object"), e.getMessage());
        assertEquals(List.of(), task.inputs);
    }

    @Test
    void aFailingStepsErrorReachesTheStateMachineUnchangedAndItsMetricsAreStillSent() {
        GreetingTask task = new GreetingTask(metrics);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> task.handle(Map.of("fail", true), new LocalContext("GreetingFunction")));

        assertEquals("asked to fail", e.getMessage());
        assertSame(IllegalStateException.class, e.getClass(), "the error name Retry and Catch match on");
        assertEquals(1.0, metrics.sum("Greeted"), "metrics are flushed when the step fails");
    }
}
