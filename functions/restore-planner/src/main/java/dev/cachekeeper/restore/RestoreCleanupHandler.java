package dev.cachekeeper.restore;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cachekeeper.core.lambda.Invocations;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Task "Cleanup" of statemachines/restore.asl.json. Input {@code {"targetReplicationGroupId", "executionId",
 * "keepOnFailure"}}; output {@code {"action", "detail"}}. Deletes only a group this execution created.
 */
public final class RestoreCleanupHandler implements RequestStreamHandler {
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
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.task(input, output, event -> handle(event, context));
    }

    /** The same on an already-read task input, for tests. */
    public Map<String, Object> handle(Map<String, Object> event, Context context) {
        return Invocations.run(context, metrics, () -> {
            RestoreCleanup.Outcome outcome = cleanup.cleanup(text(event.get("targetReplicationGroupId")),
                    text(event.get("executionId")), Boolean.TRUE.equals(event.get("keepOnFailure")));
            if ("refused".equals(outcome.action())) {
                metrics.addMetric("RestoreCleanupRefused", 1, MetricUnit.COUNT);
            }
            return StreamHandlers.asMap(outcome.toJson());
        });
    }

    private static String text(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }
}
