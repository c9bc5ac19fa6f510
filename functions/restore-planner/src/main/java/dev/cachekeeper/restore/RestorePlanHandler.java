package dev.cachekeeper.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.StateMachineTaskHandler;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Task "Plan" of statemachines/restore.asl.json. Input {@code {"request": <execution input>, "executionId":
 * $$.Execution.Id}}; output the plan. Throws {@link InvalidRestoreRequestException} or
 * {@link RestoreRefusedException} (the state machine's error name) when nothing must be created.
 */
public final class RestorePlanHandler extends StateMachineTaskHandler {
    private final RestorePlanner planner;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public RestorePlanHandler() {
        this(DaggerRestoreComponent.create());
        priming = StreamHandlers.prime(this, StreamHandlers.wrapped("{\"request\":%s,\"executionId\":"
                + "\"arn:aws:states:eu-west-1:123456789012:execution:priming:priming\"}", "restore-input-by-name.json"));
    }

    private RestorePlanHandler(RestoreComponent component) {
        this(component.planner(), component.metrics());
    }

    public RestorePlanHandler(RestorePlanner planner, Metrics metrics) {
        super(metrics);
        this.planner = planner;
    }

    @Override
    protected ObjectNode step(Map<String, Object> event) {
        RestoreRequest request = RestoreRequest.parse(Json.MAPPER.valueToTree(event.get("request")));
        Object executionId = event.get("executionId");
        if (!(executionId instanceof String id) || id.isBlank()) {
            throw new IllegalArgumentException("executionId: the state machine must pass $$.Execution.Id");
        }
        return planner.plan(request, id);
    }
}
