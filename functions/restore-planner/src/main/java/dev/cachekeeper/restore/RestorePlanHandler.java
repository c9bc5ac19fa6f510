package dev.cachekeeper.restore;

import dev.cachekeeper.core.lambda.Priming;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Invocations;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Task "Plan" of statemachines/restore.asl.json. Input {@code {"request": <execution input>, "executionId":
 * $$.Execution.Id}}; output the plan. Throws {@link InvalidRestoreRequestException} or
 * {@link RestoreRefusedException} (the state machine's error name) when nothing must be created.
 */
public final class RestorePlanHandler implements RequestStreamHandler {
    private final RestorePlanner planner;
    private final Metrics metrics;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public RestorePlanHandler() {
        RestoreComponent component = DaggerRestoreComponent.create();
        this.planner = component.planner();
        this.metrics = component.metrics();
        priming = StreamHandlers.prime(this, StreamHandlers.wrapped("{\"request\":%s,\"executionId\":"
                + "\"arn:aws:states:eu-west-1:123456789012:execution:priming:priming\"}", "restore-input-by-name.json"));
    }

    public RestorePlanHandler(RestorePlanner planner, Metrics metrics) {
        this.planner = planner;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.task(input, output, event -> handle(event, context));
    }

    /** The same on an already-read task input, for tests. */
    public Map<String, Object> handle(Map<String, Object> event, Context context) {
        return Invocations.run(context, metrics, () -> {
            RestoreRequest request = RestoreRequest.parse(Json.MAPPER.valueToTree(event.get("request")));
            Object executionId = event.get("executionId");
            if (!(executionId instanceof String id) || id.isBlank()) {
                throw new IllegalArgumentException("executionId: the state machine must pass $$.Execution.Id");
            }
            return StreamHandlers.asMap(planner.plan(request, id));
        });
    }
}
