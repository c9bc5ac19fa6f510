package dev.cachekeeper.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.StateMachineTaskHandler;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Tasks "NotifySuccess" and "NotifyFailure" of statemachines/restore.asl.json. Input {@code {"outcome":
 * "succeeded"|"failed", "state": $}}; output the execution's result (and the SNS message id).
 */
public final class RestoreNotifyHandler extends StateMachineTaskHandler {
    private final RestoreNotifier notifier;

    public RestoreNotifyHandler() {
        this(DaggerRestoreComponent.create());
    }

    private RestoreNotifyHandler(RestoreComponent component) {
        this(component.notifier(), component.metrics());
    }

    public RestoreNotifyHandler(RestoreNotifier notifier, Metrics metrics) {
        super(metrics);
        this.notifier = notifier;
    }

    @Override
    protected ObjectNode step(Map<String, Object> event) {
        JsonNode state = Json.MAPPER.valueToTree(event.getOrDefault("state", Map.of()));
        boolean succeeded = "succeeded".equals(event.get("outcome"));
        ObjectNode result = succeeded ? notifier.succeeded(state) : notifier.failed(state);
        if (result.path("dryRun").asBoolean(false)) {
            return result; // a refused preview is not a failed restore
        }
        metrics.addMetric(succeeded ? "RestoreSucceeded" : "RestoreFailed", 1, MetricUnit.COUNT);
        if (result.has("minutesTaken")) {
            metrics.addMetric("RestoreMinutes", result.path("minutesTaken").asDouble(), MetricUnit.NONE);
        }
        return result;
    }
}
