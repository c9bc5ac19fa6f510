package dev.cachekeeper.restore;

import dev.cachekeeper.core.aws.EventLedger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.StreamHandlers;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.restore.verify.RestoreVerifier;
import dev.cachekeeper.restore.verify.RestoreVerifyHandler;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.statemachine.ExecutionResult;
import dev.cachekeeper.statemachine.LocalStateMachine;
import dev.cachekeeper.statemachine.SdkIntegration;
import dev.cachekeeper.statemachine.SdkIntegration.ErrorNaming;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import redis.clients.jedis.HostAndPort;

/**
 * statemachines/restore.asl.json wired as SAM wires it, but with the real Java handlers called in-process and the
 * ElastiCache SDK integrations answered by the simulated account. Wait states advance the simulation's clock.
 */
final class RestoreFlow {
    static final String PLANNER = "arn:aws:lambda:eu-west-1:123456789012:function:cachekeeper-RestorePlanner:live";
    static final String VERIFIER = "arn:aws:lambda:eu-west-1:123456789012:function:cachekeeper-RestoreVerifier:live";
    static final String CLEANUP = "arn:aws:lambda:eu-west-1:123456789012:function:cachekeeper-RestoreCleanup:live";
    static final String NOTIFIER = "arn:aws:lambda:eu-west-1:123456789012:function:cachekeeper-RestoreNotifier:live";

    final SimulatedAws aws;
    final String alertTopic;
    final RecordingMetrics metrics = new RecordingMetrics();
    ErrorNaming naming = ErrorNaming.AS_RETURNED;
    UnaryOperator<HostAndPort> redisRoute = a -> a;
    Duration maxWait = Duration.ofMinutes(120);
    /** The stack's DryRun parameter, as the planner and the notifier read it from their environment. */
    boolean stackDryRun = false;
    String executionName = "restore-test";
    /** Runs right after the planner returned (to stage a race with the Create call). */
    Runnable afterPlan = () -> { };

    RestoreFlow() {
        aws = SimulatedAws.fromBundledWorld("default");
        aws.elastiCache().timings().groupCreate(Duration.ofMinutes(15));
        alertTopic = aws.sns().topic("cachekeeper-alerts");
    }

    String executionId() {
        return "arn:aws:states:eu-west-1:123456789012:execution:restore:" + executionName;
    }

    Retrier retrier() {
        return Retrier.standard(aws.clock(), aws::advance);
    }

    ExecutionResult run(JsonNode input) {
        RestoreConfig config = new RestoreConfig(maxWait, List.of("sg-0default00000001"), stackDryRun);
        var plan = new RestorePlanHandler(new RestorePlanner(aws.elastiCache(), retrier(), aws.clock(), config), metrics);
        var cleanup = new RestoreCleanupHandler(new RestoreCleanup(aws.elastiCache(),
                new EventLedger(aws.dynamoDb(), "cachekeeper-dedupe", aws.clock(), retrier()), retrier()), metrics);
        var notify = new RestoreNotifyHandler(new RestoreNotifier(new AlertPublisher(aws.sns(), alertTopic, retrier()),
                aws.clock(), stackDryRun), metrics);
        var verify = new RestoreVerifyHandler(new RestoreVerifier(aws.secretsManager(), retrier(), redisRoute), metrics);
        Function<JsonNode, JsonNode> planThenRace = payload -> {
            JsonNode out = lambda(plan).apply(payload);
            afterPlan.run();
            return out;
        };
        return LocalStateMachine.builder()
                .definition("statemachines/restore.asl.json")
                .substitution("RestorePlannerFunctionArn", PLANNER)
                .substitution("RestoreVerifierFunctionArn", VERIFIER)
                .substitution("RestoreCleanupFunctionArn", CLEANUP)
                .substitution("RestoreNotifierFunctionArn", NOTIFIER)
                .lambda("${RestorePlannerFunctionArn}", planThenRace)
                .lambda("${RestoreVerifierFunctionArn}", lambda(verify))
                .lambda("${RestoreCleanupFunctionArn}", lambda(cleanup))
                .lambda("${RestoreNotifierFunctionArn}", lambda(notify))
                .tasks(SdkIntegration.elastiCache(aws.elastiCache(), naming))
                .onWait(aws::advance)
                .onRetryDelay(aws::advance)
                .clock(aws::now)
                .executionName(executionName)
                .timeout(Duration.ofSeconds(90))
                .build()
                .run(input);
    }

    /** A Java Lambda handler as the runtime calls it: the payload's JSON bytes in, its JSON answer out. */
    private Function<JsonNode, JsonNode> lambda(RequestStreamHandler handler) {
        return payload -> {
            try {
                return StreamHandlers.invoke(handler, Json.MAPPER.writeValueAsBytes(payload),
                        new LocalContext("restore", aws.clock(), Duration.ofMinutes(1)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static JsonNode sample(String name) {
        try (InputStream in = RestoreFlow.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample events/" + name);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
