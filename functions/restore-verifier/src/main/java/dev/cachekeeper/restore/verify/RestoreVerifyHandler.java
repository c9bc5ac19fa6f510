package dev.cachekeeper.restore.verify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Invocations;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Task "Verify" of statemachines/restore.asl.json, deployed in the cache's VPC. Input {@code {"group": <described
 * group>, "verify": <plan.verify>}}; output {@code {"passed", "summary", "ping", "role", "keys", "canaries", ...}}.
 * A failed check is a result (passed = false), not an exception: the state machine chooses the failure path.
 */
public final class RestoreVerifyHandler implements RequestStreamHandler {
    private final RestoreVerifier verifier;
    private final Metrics metrics;

    public RestoreVerifyHandler() {
        VerifierComponent component = DaggerVerifierComponent.create();
        this.verifier = component.verifier();
        this.metrics = component.metrics();
    }

    public RestoreVerifyHandler(RestoreVerifier verifier, Metrics metrics) {
        this.verifier = verifier;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.task(input, output, event -> handle(event, context));
    }

    /** The same on an already-read task input, for tests. */
    public Map<String, Object> handle(Map<String, Object> event, Context context) {
        return Invocations.run(context, metrics, () -> {
            JsonNode group = Json.MAPPER.valueToTree(event.getOrDefault("group", Map.of()));
            JsonNode verify = Json.MAPPER.valueToTree(event.getOrDefault("verify", Map.of()));
            ObjectNode result = verifier.verify(group, verify);
            metrics.addMetric(result.path("passed").asBoolean() ? "RestoreVerificationPassed"
                    : "RestoreVerificationFailed", 1, MetricUnit.COUNT);
            return StreamHandlers.asMap(result);
        });
    }
}
