package dev.cachekeeper.restore;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.cachekeeper.core.lambda.Invocations;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Task "Cleanup" of statemachines/restore.asl.json. Input {@code {"targetReplicationGroupId", "executionId",
 * "keepOnFailure"}}; output {@code {"action", "detail"}}. Deletes only a group this execution created.
 */
public final class RestoreCleanupHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final RestoreCleanup cleanup;
    private final Metrics metrics;

    public RestoreCleanupHandler() {
        RestoreComponent component = DaggerRestoreComponent.create();
        this.cleanup = component.cleanup();
        this.metrics = component.metrics();
    }

    public RestoreCleanupHandler(RestoreCleanup cleanup, Metrics metrics) {
        this.cleanup = cleanup;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Invocations.run(context, metrics, () -> {
            RestoreCleanup.Outcome outcome = cleanup.cleanup(text(event.get("targetReplicationGroupId")),
                    text(event.get("executionId")), Boolean.TRUE.equals(event.get("keepOnFailure")));
            if ("refused".equals(outcome.action())) {
                metrics.addMetric("RestoreCleanupRefused", 1, MetricUnit.COUNT);
            }
            return TaskJson.toMap(outcome.toJson());
        });
    }

    private static String text(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }
}
