package dev.cachekeeper.destroy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.statemachine.ExecutionResult;
import dev.cachekeeper.statemachine.LocalStateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The default simulated world, the real handler, and the real state machine definition wired together. */
final class Fixture {
    static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:cachekeeper-safe-destroy:live";
    static final String DEFINITION = "statemachines/safe-destroy.asl.json";

    final SimulatedAws aws = SimulatedAws.fromBundledWorld("default");
    final String topicArn = aws.sns().topic("cachekeeper-alerts");
    final RecordingMetrics metrics = new RecordingMetrics();
    private final Map<String, String> env = new HashMap<>(Map.of(Settings.ALERT_TOPIC_ARN, topicArn,
            Settings.TABLE_NAME, "cachekeeper-dedupe"));

    Fixture env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Settings settings() {
        return new Settings(env);
    }

    /** Sleeping in the function's retrier moves the simulated clock, as waiting would in AWS. */
    Retrier retrier() {
        return Retrier.standard(aws.clock(), aws::advance);
    }

    SafeDestroyer destroyer() {
        return new SafeDestroyer(aws.elastiCache(), new AlertPublisher(aws.sns(), topicArn, retrier()),
                new EventLedger(aws.dynamoDb(), settings().tableName(), aws.clock(), retrier()), metrics,
                aws.clock(), retrier(), settings());
    }

    SafeDestroyHandler handler() {
        return new SafeDestroyHandler(destroyer(), metrics);
    }

    LocalStateMachine machine() {
        SafeDestroyHandler handler = handler();
        return LocalStateMachine.builder()
                .definition(DEFINITION)
                .substitution("SafeDestroyFunctionArn", FUNCTION_ARN)
                // As the runtime calls it: the task input's bytes to the stream entry point, its JSON back.
                .lambda("${SafeDestroyFunctionArn}", input -> StreamHandlers.invoke(handler, bytes(input),
                        new LocalContext("cachekeeper-safe-destroy", aws.clock(), Duration.ofMinutes(1))))
                .onWait(aws::advance)
                .onRetryDelay(aws::advance)
                .clock(aws::now)
                .build();
    }

    ExecutionResult run(JsonNode event) {
        return machine().run(event);
    }

    /** A sample from events/, sent now (on the simulated clock), with its detail changed by {@code edit}. */
    ObjectNode request(String sample, Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) sample(sample);
        event.put("time", aws.now().toString());
        edit.accept((ObjectNode) event.get("detail"));
        return event;
    }

    ObjectNode request(String sample) {
        return request(sample, d -> { });
    }

    static JsonNode sample(String name) {
        try (InputStream in = Fixture.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample events/" + name);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode json) {
        try {
            return Json.MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<ApiCall> calls(String operation) {
        return aws.calls().stream().filter(c -> c.operation().equals(operation)).toList();
    }

    List<ApiCall> mutatingCalls() {
        return aws.calls().stream().filter(c -> c.mutating() && c.service().equals("elasticache")).toList();
    }

    List<PublishedMessage> alerts() {
        return aws.sns().published(topicArn);
    }

    Map<String, String> snapshotTags(String name) {
        return aws.elastiCache().tagsOf(aws.elastiCache().arn("snapshot", name));
    }

    Instant now() {
        return aws.now();
    }
}
