package dev.cachekeeper.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.statemachine.ExecutionResult.Status;
import dev.cachekeeper.statemachine.SdkIntegration.ErrorNaming;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.InsufficientCacheClusterCapacityException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupAlreadyExistsException;

/** Runs small definitions through node + aws-local-stepfunctions with Java task handlers. */
class LocalStateMachineTest {
    private static final String GREET = "arn:aws:lambda:eu-west-1:123456789012:function:greet";

    private static LocalStateMachine.Builder machine(String name) {
        try {
            return LocalStateMachine.builder().definition(Path.of(LocalStateMachineTest.class.getResource("/asl/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void taskSucceedsWithTheHandlersResultAndSubstitutedResource() {
        List<JsonNode> seen = new ArrayList<>();
        ExecutionResult result = machine("task-success.asl.json")
                .substitution("GreetFunctionArn", GREET)
                .task("${GreetFunctionArn}", input -> {
                    seen.add(input);
                    return json("{\"text\":\"hello " + input.path("name").asText() + "\"}");
                })
                .build()
                .run(json("{\"who\":\"valkey\"}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals(json("{\"who\":\"valkey\",\"greeting\":{\"text\":\"hello valkey\"}}"), result.output());
        assertEquals(List.of(json("{\"name\":\"valkey\"}")), seen, "the handler gets the Parameters-processed input");
        assertEquals(List.of("Greet", "Done"), result.statesEntered());
        assertEquals(2, result.transitions());
        assertEquals(GREET, result.taskCalls().get(0).resource());
        assertTrue(result.problems().isEmpty(), result.problems()::toString);
    }

    @Test
    void lambdaWithABareArnResourceReturnsTheResultUnwrapped() {
        ExecutionResult result = machine("task-success.asl.json")
                .substitution("GreetFunctionArn", GREET)
                .lambda(GREET, payload -> json("\"hi " + payload.path("name").asText() + "\""))
                .build()
                .run(json("{\"who\":\"redis\"}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals("hi redis", result.output().path("greeting").asText());
    }

    @Test
    void retriesACustomErrorThenSucceedsAndCountsEachRetryAsATransition() {
        AtomicInteger calls = new AtomicInteger();
        List<Duration> delays = new ArrayList<>();
        ExecutionResult result = machine("retry.asl.json")
                .task("arn:aws:lambda:eu-west-1:123456789012:function:flaky", input -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new TaskFailure("Custom.Busy", "try again, attempt " + calls.get());
                    }
                    return json("{\"ok\":true}");
                })
                .onRetryDelay(delays::add)
                .build()
                .run(json("{}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals(json("{\"ok\":true}"), result.output());
        assertEquals(3, calls.get());
        assertEquals(List.of("Flaky"), result.statesEntered());
        assertEquals(3, result.transitions(), "1 entry + 2 retries");
        // IntervalSeconds 2, BackoffRate 3: 2 s then 6 s
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(6)), delays);
        assertEquals(Duration.ofSeconds(8), result.retryDelay());
        assertEquals(List.of(1, 2), result.retries().stream().map(ExecutionResult.Retry::attempt).toList());
        assertEquals("Custom.Busy", result.retries().get(0).error());
        assertEquals(Duration.ZERO, result.waited());
    }

    @Test
    void exhaustedRetriesFailTheExecutionWithTheLastError() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionResult result = machine("retry.asl.json")
                .task("arn:aws:lambda:eu-west-1:123456789012:function:flaky", input -> {
                    throw new TaskFailure("Custom.Busy", "still busy " + calls.incrementAndGet());
                })
                .build()
                .run(json("{}"));

        assertEquals(Status.FAILED, result.status());
        assertEquals("Custom.Busy", result.error());
        assertEquals("still busy 4", result.cause());
        assertEquals(4, calls.get(), "MaxAttempts 3 = 1 try + 3 retries");
        assertEquals(4, result.transitions());
    }

    @Test
    void catchesTheElastiCacheErrorByItsName() {
        FakeElastiCache elastiCache = new FakeElastiCache();
        elastiCache.createFailure = FakeElastiCache.error(ReplicationGroupAlreadyExistsException.builder(),
                "ReplicationGroupAlreadyExists", "Replication group restored-1 already exists.");

        ExecutionResult result = machine("catch.asl.json")
                .tasks(SdkIntegration.elastiCache(elastiCache))
                .build()
                .run(json("{\"id\":\"restored-1\",\"snapshot\":\"ck-snap\"}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals(List.of("CreateGroup", "AlreadyExists"), result.statesEntered());
        assertEquals("ElastiCache.ReplicationGroupAlreadyExistsException", result.output().path("error").path("Error").asText());
        assertTrue(result.output().path("error").path("Cause").asText().contains("already exists"));
        CreateReplicationGroupRequest sent = (CreateReplicationGroupRequest) elastiCache.requests.get(0);
        assertEquals("restored-1", sent.replicationGroupId());
        assertEquals("ck-snap", sent.snapshotName());
    }

    @ParameterizedTest
    @EnumSource(ErrorNaming.class)
    void bothSpellingsAreCaughtAndTaskFailedIsTheFallback(ErrorNaming naming) {
        FakeElastiCache elastiCache = new FakeElastiCache();
        elastiCache.createFailure = FakeElastiCache.error(ReplicationGroupAlreadyExistsException.builder(),
                "ReplicationGroupAlreadyExists", "exists");

        ExecutionResult result = machine("catch.asl.json")
                .tasks(SdkIntegration.elastiCache(elastiCache, naming))
                .build()
                .run(json("{\"id\":\"g\",\"snapshot\":\"s\"}"));

        String expectedState = naming == ErrorNaming.TASK_FAILED_ONLY ? "OtherFailure" : "AlreadyExists";
        assertEquals(List.of("CreateGroup", expectedState), result.statesEntered());
        String expectedError = switch (naming) {
            case AS_RETURNED, FAULT_DROPPED -> "ElastiCache.ReplicationGroupAlreadyExistsException";
            case FAULT_KEPT -> "ElastiCache.ReplicationGroupAlreadyExistsFaultException";
            case TASK_FAILED_ONLY -> "States.TaskFailed";
        };
        assertEquals(expectedError, result.output().path("error").path("Error").asText());
    }

    @Test
    void anUnlistedElastiCacheErrorFallsBackToStatesTaskFailed() {
        FakeElastiCache elastiCache = new FakeElastiCache();
        elastiCache.createFailure = FakeElastiCache.error(InsufficientCacheClusterCapacityException.builder(),
                "InsufficientCacheClusterCapacity", "no capacity for cache.r7g.large");

        ExecutionResult result = machine("catch.asl.json")
                .tasks(SdkIntegration.elastiCache(elastiCache))
                .build()
                .run(json("{\"id\":\"g\",\"snapshot\":\"s\"}"));

        assertEquals(List.of("CreateGroup", "OtherFailure"), result.statesEntered());
        assertEquals("ElastiCache.InsufficientCacheClusterCapacityException", result.output().path("error").path("Error").asText());
    }

    @Test
    void waitStatesAdvanceTheSimulatedClockInsteadOfSleeping() {
        AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
        Instant ready = clock.get().plusSeconds(200);
        List<Instant> describedAt = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        FakeElastiCache elastiCache = new FakeElastiCache();
        elastiCache.status = () -> {
            describedAt.add(clock.get());
            return clock.get().isBefore(ready) ? "creating" : "available";
        };

        long started = System.nanoTime();
        ExecutionResult result = machine("wait-poll.asl.json")
                .tasks(SdkIntegration.elastiCache(elastiCache))
                .onWait(d -> {
                    waits.add(d);
                    clock.set(clock.get().plus(d));
                })
                .build()
                .run(json("{\"id\":\"restored-2\",\"pollSeconds\":60}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20, "no real sleeping");
        // 30 s first, then 60 s polls: described at +30 (creating), +90, +150, +210 (available)
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        assertEquals(List.of(t0.plusSeconds(30), t0.plusSeconds(90), t0.plusSeconds(150), t0.plusSeconds(210)), describedAt,
                "each Describe sees the clock already advanced by the Wait before it");
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), waits);
        assertEquals(waits.stream().reduce(Duration.ZERO, Duration::plus), result.waited());
        assertEquals(Duration.ofSeconds(210), result.waited());
        assertEquals(4, result.timesEntered("Describe"));
        assertEquals(3, result.timesEntered("PollInterval"));
        // Create, WaitForCreate, 4 x (Describe, Available?), 3 x PollInterval, Done
        assertEquals(1 + 1 + 8 + 3 + 1, result.transitions());
        assertEquals(result.statesEntered().size(), result.transitions());
    }

    @Test
    void aWaitUntilATimestampWaitsTheDifferenceOnTheSimulatedClock() {
        AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2025-03-01T12:00:00Z"));
        AtomicReference<Instant> checkedAt = new AtomicReference<>();
        ExecutionResult result = machine("wait-until.asl.json")
                .clock(clock::get)
                .onWait(d -> clock.set(clock.get().plus(d)))
                .task("arn:aws:lambda:eu-west-1:123456789012:function:check", input -> {
                    checkedAt.set(clock.get());
                    return input;
                })
                .build()
                .run(json("{\"until\":\"2025-03-01T12:15:00Z\"}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals(Duration.ofMinutes(15), result.waited());
        assertEquals(Instant.parse("2025-03-01T12:15:00Z"), checkedAt.get());
    }

    @Test
    void timeoutSecondsIsMeasuredOnTheSimulatedClock() {
        AtomicInteger checks = new AtomicInteger();
        ExecutionResult result = machine("wait-timeout.asl.json")
                .task("arn:aws:lambda:eu-west-1:123456789012:function:check", input -> {
                    checks.incrementAndGet();
                    return json("\"creating\"");
                })
                .build()
                .run(json("{}"));

        assertEquals(Status.TIMED_OUT, result.status(), result::toString);
        assertEquals("States.Timeout", result.error());
        // waits at 60 and 120 s are within 150 s; the third (180 s) exceeds it, so no third Check runs
        assertEquals(2, checks.get());
        assertEquals(Duration.ofSeconds(180), result.waited());
    }

    @Test
    void choiceRoutesByInputAndTheDefaultFails() {
        FakeElastiCache elastiCache = new FakeElastiCache();
        LocalStateMachine machine = machine("choice.asl.json").tasks(SdkIntegration.elastiCache(elastiCache)).build();

        ExecutionResult group = machine.run(json("{\"kind\":\"replication-group\",\"id\":\"orders\"}"));
        assertEquals(List.of("Kind?", "SnapshotGroup"), group.statesEntered());
        assertEquals("ck-orders", group.output().path("Snapshot").path("SnapshotName").asText());
        assertEquals("ck-orders", ((CreateSnapshotRequest) elastiCache.requests.get(0)).snapshotName());

        ExecutionResult serverless = machine.run(json("{\"kind\":\"serverless-cache\",\"id\":\"sessions\"}"));
        assertEquals(List.of("Kind?", "SnapshotServerless"), serverless.statesEntered());
        assertEquals("ck-sessions", serverless.output().path("ServerlessCacheSnapshot").path("ServerlessCacheSnapshotName").asText());

        ExecutionResult unknown = machine.run(json("{\"kind\":\"memcached\",\"id\":\"x\"}"));
        assertEquals(Status.FAILED, unknown.status());
        assertEquals("Input.UnknownKind", unknown.error());
        assertEquals("kind must be replication-group or serverless-cache", unknown.cause());
        assertEquals(List.of("Kind?", "UnknownKind"), unknown.statesEntered());
    }

    @Test
    void anInvalidDefinitionIsRejectedWithTheValidatorsMessage() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> machine("invalid.asl.json").build().run(json("{}")));
        assertTrue(e.getMessage().contains("NoSuchState"), e.getMessage());
        assertTrue(e.errors().stream().anyMatch(m -> m.contains("NoSuchState")), e.errors()::toString);

        assertThrows(InvalidDefinitionException.class, () -> machine("invalid.asl.json").build().validate());
        machine("choice.asl.json").build().validate(); // a valid one passes
    }

    @Test
    void aPlaceholderWithoutSubstitutionIsReported() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> machine("task-success.asl.json").build().run(json("{}")));
        assertTrue(e.getMessage().contains("${GreetFunctionArn}"), e.getMessage());
    }

    @Test
    void aTaskWithoutAHandlerFailsWithHarnessNoHandlerAndIsReported() {
        ExecutionResult result = machine("task-success.asl.json")
                .substitution("GreetFunctionArn", GREET)
                .build()
                .run(json("{\"who\":\"x\"}"));

        assertEquals(Status.FAILED, result.status());
        assertEquals("Harness.NoHandler", result.error());
        assertTrue(result.cause().contains(GREET) && result.cause().contains("Greet"), result.cause());
        assertEquals(1, result.problems().size());
        assertTrue(result.problems().get(0).contains(GREET));
    }

    @Test
    void lambdaInvokeWrapsTheResultInPayload() {
        String function = "arn:aws:lambda:eu-west-1:123456789012:function:cachekeeper-restore";
        List<JsonNode> payloads = new ArrayList<>();
        ExecutionResult result = machine("lambda-invoke.asl.json")
                .substitution("RestoreFunction", function + ":live") // !Ref Function.Alias gives a qualified ARN
                .lambda(function, payload -> {
                    payloads.add(payload);
                    return json("{\"restored\":\"" + payload.path("snapshot").asText() + "-copy\"}");
                })
                .build()
                .run(json("{\"snapshot\":\"s1\"}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals(json("{\"restored\":\"s1-copy\",\"statusCode\":200}"), result.output());
        assertEquals(List.of(json("{\"snapshot\":\"s1\"}")), payloads, "the function gets Payload, not the Parameters");
        JsonNode raw = result.taskCalls().get(0).output();
        assertEquals(json("{\"restored\":\"s1-copy\"}"), raw.get("Payload"));
        assertEquals(200, raw.get("StatusCode").asInt());
    }

    @Test
    void anExceptionInALambdaFailsTheTaskWithItsClassNameLikeTheJavaRuntime() {
        ExecutionResult result = machine("lambda-invoke.asl.json")
                .substitution("RestoreFunction", "restore")
                .lambda("restore", payload -> {
                    throw new IllegalStateException("snapshot missing");
                })
                .build()
                .run(json("{}"));

        assertEquals(Status.FAILED, result.status());
        assertEquals("java.lang.IllegalStateException", result.error());
        assertEquals("snapshot missing", json(result.cause()).path("errorMessage").asText());
    }

    @Test
    void unknownSdkParametersStopTheExecutionAsANonCatchableRuntimeError() {
        ExecutionResult result = machine("catch.asl.json")
                .tasks(SdkIntegration.elastiCache(new FakeElastiCache()))
                .build()
                .run(json("{\"id\":\"g\",\"snapshot\":{\"not\":\"a string\"}}"));

        assertEquals(Status.FAILED, result.status());
        assertEquals("States.Runtime", result.error(), "not caught by the States.TaskFailed catcher");
        assertTrue(result.cause().contains("SnapshotName"), result.cause());
        assertEquals(List.of("CreateGroup"), result.statesEntered());
        assertTrue(result.problems().stream().anyMatch(p -> p.contains("SnapshotName")), result.problems()::toString);
    }

    @Test
    void parallelBranchesReachTheirHandlersAndCountAsTransitions() {
        ExecutionResult result = machine("parallel.asl.json")
                .lambda("arn:aws:lambda:eu-west-1:123456789012:function:left", in -> json("\"L\""))
                .lambda("arn:aws:lambda:eu-west-1:123456789012:function:right", in -> json("\"R\""))
                .build()
                .run(json("{}"));

        assertEquals(Status.SUCCEEDED, result.status(), result::toString);
        assertEquals(json("[\"L\",\"R\"]"), result.output());
        assertEquals(3, result.transitions());
    }

    @Test
    void aHangingExecutionIsKilledAfterTheTimeout() {
        long started = System.nanoTime();
        HarnessException e = assertThrows(HarnessException.class, () -> machine("task-success.asl.json")
                .substitution("GreetFunctionArn", GREET)
                .task(GREET, input -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    return input;
                })
                .timeout(Duration.ofSeconds(2))
                .build()
                .run(json("{\"who\":\"x\"}")));
        assertTrue(e.getMessage().contains("did not finish within 2 s"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15);
    }

    @Test
    void aMissingNodeIsAClearError() {
        HarnessException e = assertThrows(HarnessException.class, () -> machine("choice.asl.json")
                .node(Path.of("/nonexistent/node"))
                .build()
                .run(json("{}")));
        assertTrue(e.getMessage().contains("/nonexistent/node"), e.getMessage());
    }

    @Test
    void theHandlerOutputOfACallIsRecorded() {
        ExecutionResult result = machine("task-success.asl.json")
                .substitution("GreetFunctionArn", GREET)
                .task(GREET, input -> json("{\"n\":1}"))
                .build()
                .run(json("{\"who\":\"x\"}"));
        ExecutionResult.TaskCall call = result.callsOf("Greet").get(0);
        assertEquals(json("{\"n\":1}"), call.output());
        assertNull(call.error());
        assertInstanceOf(ObjectNode.class, call.input());
    }
}
