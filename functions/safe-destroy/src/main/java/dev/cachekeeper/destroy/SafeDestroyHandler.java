package dev.cachekeeper.destroy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.StateMachineTaskHandler;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * The one function behind every Task of {@code statemachines/safe-destroy.asl.json}. The Task's Parameters say
 * which step: {@code {"action": "snapshot", "event.$": "$"}}, {@code {"action": "check", "flow.$": "$.flow"}},
 * {@code {"action": "delete", "flow.$": "$.flow"}}, {@code {"action": "announce", "state.$": "$"}}; each returns
 * the flow ({@link DestroyFlow}).
 */
public final class SafeDestroyHandler extends StateMachineTaskHandler {

    private final SafeDestroyer destroyer;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public SafeDestroyHandler() {
        this(DaggerSafeDestroyComponent.create());
        priming = StreamHandlers.prime(this, StreamHandlers.wrapped("{\"action\":\"snapshot\",\"event\":%s}",
                "cachekeeper-request-destroy-snapshot-only.json"));
    }

    private SafeDestroyHandler(SafeDestroyComponent component) {
        this(component.destroyer(), component.metrics());
    }

    public SafeDestroyHandler(SafeDestroyer destroyer, Metrics metrics) {
        super(metrics);
        this.destroyer = destroyer;
    }

    @Override
    protected DestroyFlow step(Map<String, Object> input) {
        JsonNode in = Json.MAPPER.valueToTree(input);
        String action = in.path("action").asText("");
        try {
            return switch (action) {
                case "snapshot" -> destroyer.snapshot(in.get("event"));
                case "check" -> destroyer.check(flow(in));
                case "delete" -> destroyer.delete(flow(in));
                case "announce" -> destroyer.announce(in.path("state"));
                default -> throw new IllegalArgumentException("unknown action '" + action
                        + "': the state machine passes snapshot, check, delete or announce");
            };
        } catch (RuntimeException e) {
            if (Retrier.isRetryable(e)) {
                throw new AwsUnavailableException(action + ": AWS is throttling or unavailable ("
                        + Retrier.errorCode(e) + "); the state machine retries with back-off", e);
            }
            throw e;
        }
    }

    private static DestroyFlow flow(JsonNode in) {
        if (!in.hasNonNull("flow")) {
            throw new IllegalArgumentException("the " + in.path("action").asText() + " step needs \"flow\"");
        }
        return Json.MAPPER.convertValue(in.get("flow"), DestroyFlow.class);
    }
}
