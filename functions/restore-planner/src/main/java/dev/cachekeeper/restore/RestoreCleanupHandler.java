package dev.cachekeeper.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.lambda.StateMachineTaskHandler;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Task "Cleanup" of statemachines/restore.asl.json. Input {@code {"targetReplicationGroupId", "executionId",
 * "keepOnFailure"}}; output {@code {"action", "detail"}}. Deletes only a group this execution created.
 */
public final class RestoreCleanupHandler extends StateMachineTaskHandler {
    private final RestoreCleanup cleanup;

    public RestoreCleanupHandler() {
        this(DaggerRestoreComponent.create());
    }

    private RestoreCleanupHandler(RestoreComponent component) {
        this(component.cleanup(), component.metrics());
    }

    public RestoreCleanupHandler(RestoreCleanup cleanup, Metrics metrics) {
        super(metrics);
        this.cleanup = cleanup;
    }

    @Override
    protected ObjectNode step(Map<String, Object> event) {
        RestoreCleanup.Outcome outcome = cleanup.cleanup(text(event.get("targetReplicationGroupId")),
                text(event.get("executionId")), Boolean.TRUE.equals(event.get("keepOnFailure")));
        if ("refused".equals(outcome.action())) {
            metrics.addMetric("RestoreCleanupRefused", 1, MetricUnit.COUNT);
        }
        return outcome.toJson();
    }

    private static String text(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }
}
