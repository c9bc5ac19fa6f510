package dev.cachekeeper.restore.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.StateMachineTaskHandler;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Task "Verify" of statemachines/restore.asl.json, deployed in the cache's VPC. Input {@code {"group": <described
 * group>, "verify": <plan.verify>}}; output {@code {"passed", "summary", "ping", "role", "keys", "canaries", ...}}.
 * A failed check is a result (passed = false), not an exception: the state machine chooses the failure path.
 */
public final class RestoreVerifyHandler extends StateMachineTaskHandler {
    private final RestoreVerifier verifier;

    public RestoreVerifyHandler() {
        this(DaggerVerifierComponent.create());
    }

    private RestoreVerifyHandler(VerifierComponent component) {
        this(component.verifier(), component.metrics());
    }

    public RestoreVerifyHandler(RestoreVerifier verifier, Metrics metrics) {
        super(metrics);
        this.verifier = verifier;
    }

    @Override
    protected ObjectNode step(Map<String, Object> event) {
        JsonNode group = Json.MAPPER.valueToTree(event.getOrDefault("group", Map.of()));
        JsonNode verify = Json.MAPPER.valueToTree(event.getOrDefault("verify", Map.of()));
        ObjectNode result = verifier.verify(group, verify);
        metrics.addMetric(result.path("passed").asBoolean() ? "RestoreVerificationPassed"
                : "RestoreVerificationFailed", 1, MetricUnit.COUNT);
        return result;
    }
}
