package dev.cachekeeper.restore;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Invocations;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Tasks "NotifySuccess" and "NotifyFailure" of statemachines/restore.asl.json. Input {@code {"outcome":
 * "succeeded"|"failed", "state": $}}; output the execution's result (and the SNS message id).
 */
public final class RestoreNotifyHandler implements RequestStreamHandler {
    private final RestoreNotifier notifier;
    private final Metrics metrics;

    public RestoreNotifyHandler() {
        RestoreComponent component = DaggerRestoreComponent.create();
        this.notifier = component.notifier();
        this.metrics = component.metrics();
    }

    public RestoreNotifyHandler(RestoreNotifier notifier, Metrics metrics) {
        this.notifier = notifier;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.task(input, output, event -> handle(event, context));
    }

    /** The same on an already-read task input, for tests. */
    public Map<String, Object> handle(Map<String, Object> event, Context context) {
        return Invocations.run(context, metrics, () -> {
            JsonNode state = Json.MAPPER.valueToTree(event.getOrDefault("state", Map.of()));
            boolean succeeded = "succeeded".equals(event.get("outcome"));
            ObjectNode result = succeeded ? notifier.succeeded(state) : notifier.failed(state);
            metrics.addMetric(succeeded ? "RestoreSucceeded" : "RestoreFailed", 1, MetricUnit.COUNT);
            if (result.has("minutesTaken")) {
                metrics.addMetric("RestoreMinutes", result.path("minutesTaken").asDouble(), MetricUnit.NONE);
            }
            return StreamHandlers.asMap(result);
        });
    }
}
