package dev.cachekeeper.restore;

import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.PrimingEvents;
import dev.cachekeeper.core.lambda.Priming;
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
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public RestorePlanHandler() {
        RestoreComponent component = DaggerRestoreComponent.create();
        this.planner = component.planner();
        this.metrics = component.metrics();
        priming = Priming.register(() -> handleRequest(Map.of("request",
                PrimingEvents.map("restore-input-by-name.json"), "executionId",
                "arn:aws:states:eu-west-1:123456789012:execution:priming:priming"), new LocalContext("priming")));
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
