package dev.cachekeeper.restore;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Invocations;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Task "Plan" of statemachines/restore.asl.json. Input {@code {"request": <execution input>, "executionId":
 * $$.Execution.Id}}; output the plan. Throws {@link InvalidRestoreRequestException} or
 * {@link RestoreRefusedException} (the state machine's error name) when nothing must be created.
 */
public final class RestorePlanHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final RestorePlanner planner;
    private final Metrics metrics;

    public RestorePlanHandler() {
        RestoreComponent component = DaggerRestoreComponent.create();
        this.planner = component.planner();
        this.metrics = component.metrics();
    }

    public RestorePlanHandler(RestorePlanner planner, Metrics metrics) {
        this.planner = planner;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Invocations.run(context, metrics, () -> {
            RestoreRequest request = RestoreRequest.parse(Json.MAPPER.valueToTree(event.get("request")));
            Object executionId = event.get("executionId");
            if (!(executionId instanceof String id) || id.isBlank()) {
                throw new IllegalArgumentException("executionId: the state machine must pass $$.Execution.Id");
            }
            return TaskJson.toMap(planner.plan(request, id));
        });
    }
}
