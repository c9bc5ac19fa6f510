package dev.cachekeeper.destroy;

import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.StreamHandlers;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.Invocations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * The one function behind every Task of {@code statemachines/safe-destroy.asl.json}. The Task's Parameters say
 * which step: {@code {"action": "snapshot", "event.$": "$"}}, {@code {"action": "check", "flow.$": "$.flow"}},
 * {@code {"action": "delete", "flow.$": "$.flow"}}, {@code {"action": "announce", "state.$": "$"}}; each returns
 * the flow ({@link DestroyFlow}). A stream handler so the runtime does not load its own serializer at cold start
 * ({@link StreamHandlers}).
 */
public final class SafeDestroyHandler implements RequestStreamHandler {

    private final SafeDestroyer destroyer;
    private final Metrics metrics;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public SafeDestroyHandler() {
        SafeDestroyComponent component = DaggerSafeDestroyComponent.create();
        this.destroyer = component.destroyer();
        this.metrics = component.metrics();
        priming = StreamHandlers.prime(this, StreamHandlers.wrapped("{\"action\":\"snapshot\",\"event\":%s}",
                "cachekeeper-request-destroy-snapshot-only.json"));
    }

    public SafeDestroyHandler(SafeDestroyer destroyer, Metrics metrics) {
        this.destroyer = destroyer;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.task(input, output, in -> handle(in, context));
    }

    /** The same on an already-read task input, for tests. */
    public Map<String, Object> handle(Map<String, Object> input, Context context) {
        return Invocations.run(context, metrics, () -> StreamHandlers.asMap(step(input)));
    }

    private DestroyFlow step(Map<String, Object> input) {
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
