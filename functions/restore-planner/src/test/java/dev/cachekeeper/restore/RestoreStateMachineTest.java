package dev.cachekeeper.restore;

import dev.cachekeeper.core.aws.EventLedger;
import static dev.cachekeeper.restore.RestoreFlow.json;
import static dev.cachekeeper.restore.RestoreFlow.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.JsonLogs;
import dev.cachekeeper.restore.verify.LocalRedis;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.statemachine.ExecutionResult;
import dev.cachekeeper.statemachine.ExecutionResult.Status;
import dev.cachekeeper.statemachine.LocalStateMachine;
import dev.cachekeeper.statemachine.SdkIntegration.ErrorNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.Snapshot;
import software.amazon.awssdk.services.elasticache.model.Tag;

/** Executions of statemachines/restore.asl.json: every path, with the real planner, verifier, cleanup, notifier. */
class RestoreStateMachineTest {
    static final String TOKEN = "restore-Token-never-in-history-7781";
    private static LocalRedis restored;
    private static LocalRedis restoredWithAuth;

    @BeforeAll
    static void redis() {
        // What the restored group holds: the keys of the snapshot.
        restored = LocalRedis.start().load(Map.of("user:1", "alice", "config:version", "42", "cart:9f2c", "3 items"));
        restoredWithAuth = LocalRedis.start(TOKEN).load(Map.of("user:1", "alice"));
    }

    @AfterAll
    static void stop() {
        if (restored != null) {
            restored.close();
        }
        if (restoredWithAuth != null) {
            restoredWithAuth.close();
        }
    }

    private static RestoreFlow flow() {
        RestoreFlow flow = new RestoreFlow();
        flow.redisRoute = a -> restored.address();
        return flow;
    }

    /**
     * The source group has in-transit encryption, so the restored one gets it too (checked in
     * {@link RestorePlannerTest}); the local redis-server speaks plain TCP, so these executions turn TLS off.
     */
    private static ObjectNode plain(JsonNode input) {
        ObjectNode copy = input.deepCopy();
        ObjectNode overrides = copy.has("overrides") ? (ObjectNode) copy.get("overrides") : copy.putObject("overrides");
        overrides.put("transitEncryptionEnabled", false);
        return copy;
    }

    private static long calls(RestoreFlow flow, String operation) {
        return flow.aws.calls().stream().filter(c -> c.operation().equals(operation)).count();
    }

    private static String status(RestoreFlow flow, String id) {
        try {
            return flow.aws.elastiCache().describeReplicationGroups(b -> b.replicationGroupId(id))
                    .replicationGroups().get(0).status();
        } catch (ReplicationGroupNotFoundException e) {
            return "gone";
        }
    }

    private static Map<String, String> tags(RestoreFlow flow, String id) {
        return flow.aws.elastiCache().tagsOf(flow.aws.elastiCache().arn("replicationgroup", id));
    }

    private static PublishedMessage onlyAlert(RestoreFlow flow) {
        List<PublishedMessage> alerts = flow.aws.sns().published(flow.alertTopic);
        assertEquals(1, alerts.size(), alerts::toString);
        return alerts.get(0);
    }

    private static void report(String what, ExecutionResult r) {
        System.out.println("[restore transitions] " + what + ": " + r.transitions() + " transitions, "
                + r.timesEntered("DescribeGroup") + " polls, waited " + r.waited().toMinutes() + " min");
    }

    @Test
    void definitionPassesAslValidator() {
        LocalStateMachine.builder().definition("statemachines/restore.asl.json")
                .substitution("RestorePlannerFunctionArn", RestoreFlow.PLANNER)
                .substitution("RestoreVerifierFunctionArn", RestoreFlow.VERIFIER)
                .substitution("RestoreCleanupFunctionArn", RestoreFlow.CLEANUP)
                .substitution("RestoreNotifierFunctionArn", RestoreFlow.NOTIFIER)
                .build().validate();
    }

    @Test
    void restoresBySnapshotNameVerifiesAndAnnounces_15MinuteCreation() {
        RestoreFlow flow = flow();
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));
        report("15-minute creation, verify on", r);

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertTrue(r.problems().isEmpty(), r.problems()::toString);
        JsonNode out = r.output();
        assertEquals("orders-restored", out.path("replicationGroupId").asText());
        assertEquals("orders-before-migration", out.path("snapshotName").asText());
        assertTrue(out.path("primaryEndpoint").asText().startsWith("orders-restored."), out::toString);
        assertTrue(out.path("verification").path("passed").asBoolean(), out::toString);
        assertEquals(3, out.path("verification").path("keys").asInt());
        assertEquals(17.0, out.path("minutesTaken").asDouble(), 3.0, "15 min creation, found at the 15-min poll");
        assertTrue(r.transitions() <= 40, "transitions for a 15-minute creation: " + r.transitions());

        // What was created: the snapshot's settings, the overrides, the source's security groups, our tags.
        JsonNode create = r.callsOf("Create").get(0).input();
        assertEquals("cache.r7g.xlarge", create.path("CacheNodeType").asText());
        assertEquals("valkey", create.path("Engine").asText());
        assertEquals(2, create.path("NumCacheClusters").asInt());
        assertTrue(create.path("MultiAZEnabled").asBoolean());
        assertEquals("[\"sg-0orders000000001\"]", create.path("SecurityGroupIds").toString());
        assertEquals("available", status(flow, "orders-restored"));
        Map<String, String> tags = tags(flow, "orders-restored");
        assertEquals(flow.executionId(), tags.get(RestoreTags.EXECUTION));
        assertEquals("orders-before-migration", tags.get(RestoreTags.RESTORED_FROM));
        assertEquals("INC-4711", tags.get("incident"));
        assertEquals("true", tags.get("cachekeeper:protect"), "the source's tags follow, so the copy stays protected");

        PublishedMessage alert = onlyAlert(flow);
        assertTrue(alert.subject().contains("restore of orders-restored succeeded"), alert.subject());
        assertTrue(alert.message().contains(out.path("primaryEndpoint").asText()), alert.message());
        assertTrue(alert.message().contains("Snapshot: orders-before-migration"), alert.message());
        assertTrue(alert.message().contains("Verification: PASSED"), alert.message());
        assertTrue(alert.message().contains("INC-4711"), alert.message());
        assertTrue(alert.message().contains("AUTH token"), "the AUTH warning reaches the operator");
    }

    @Test
    void aSixtyMinuteCreationStaysWithinTheTransitionBudget() {
        RestoreFlow flow = flow();
        flow.aws.elastiCache().timings().groupCreate(Duration.ofMinutes(60));
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));
        report("60-minute creation, verify on", r);

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertTrue(r.transitions() <= 70, "transitions for a 60-minute creation: " + r.transitions());
        assertTrue(r.output().path("minutesTaken").asDouble() < 66, r.output()::toString);
    }

    @Test
    void aDryRunShowsWhatWouldBeCreatedAndCreatesNothing() {
        RestoreFlow flow = flow();
        ObjectNode input = plain(sample("restore-input-by-name.json"));
        input.put("dryRun", true);
        ExecutionResult r = flow.run(input);
        report("dry run", r);

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        JsonNode out = r.output();
        assertEquals("DRY_RUN", out.path("status").asText(), out::toString);
        assertEquals("input", out.path("dryRunBy").asText());
        assertTrue(out.path("message").asText().contains("\"dryRun\": false"), out::toString);
        assertEquals("orders-before-migration", out.path("snapshotName").asText());
        JsonNode wouldCreate = out.path("createReplicationGroupRequest");
        assertEquals("orders-restored", wouldCreate.path("ReplicationGroupId").asText());
        assertEquals("cache.r7g.xlarge", wouldCreate.path("CacheNodeType").asText());
        assertEquals("[\"sg-0orders000000001\"]", wouldCreate.path("SecurityGroupIds").toString());
        assertTrue(out.path("warnings").toString().contains("AUTH token"), "the preview carries the warnings");
        assertEquals(0, calls(flow, "CreateReplicationGroup"));
        assertEquals("gone", status(flow, "orders-restored"));
        assertTrue(flow.aws.sns().published(flow.alertTopic).isEmpty(), "a preview pages nobody");
        assertEquals(List.of("Plan", "DryRun?", "Planned"), r.statesEntered());
    }

    @Test
    void theStacksDryRunTurnsEveryRestoreIntoAPreview() {
        RestoreFlow flow = flow();
        flow.stackDryRun = true;
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertEquals("DRY_RUN", r.output().path("status").asText());
        assertEquals("stack", r.output().path("dryRunBy").asText());
        assertTrue(r.output().path("message").asText().contains("DryRun=false"), r.output()::toString);
        assertEquals(0, calls(flow, "CreateReplicationGroup"));
        assertTrue(flow.aws.sns().published(flow.alertTopic).isEmpty());
    }

    /** A preview refuses what the restore would refuse, with the same error, but pages nobody. */
    @Test
    void aDryRunOfARestoreThatWouldBeRefusedFailsWithTheReasonAndNoAlert() {
        RestoreFlow flow = flow();
        ExecutionResult r = flow.run(json("""
                {"snapshotName": "orders-before-migration", "targetReplicationGroupId": "sessions",
                 "dryRun": true}"""));

        assertEquals(Status.FAILED, r.status());
        assertEquals(RestoreRefusedException.class.getName(), r.error());
        assertTrue(r.cause().contains("a replication group 'sessions' already exists"), r.cause());
        assertTrue(flow.aws.sns().published(flow.alertTopic).isEmpty(), "a refused preview pages nobody");
        assertEquals("not sent: dry run", r.callsOf("NotifyFailure").get(0).output().path("alert").asText());
        assertEquals(0.0, flow.metrics.sum("RestoreFailed"), "a refused preview is not a failed restore");
    }

    @Test
    void latestSnapshotOfACacheIsItsNewestAvailableOne() {
        RestoreFlow flow = flow();
        // A manual snapshot still being taken is the newest, but not available: it must be skipped.
        flow.aws.elastiCache().createSnapshot(b -> b.replicationGroupId("orders-cache").snapshotName("orders-in-progress"));
        Snapshot newestAvailable = flow.aws.elastiCache().describeSnapshots(b -> b.replicationGroupId("orders-cache"))
                .snapshots().stream().filter(s -> s.snapshotStatus().equals("available"))
                .max(Comparator.comparing(s -> s.nodeSnapshots().stream().map(NodeSnapshot::snapshotCreateTime)
                        .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(Instant.EPOCH)))
                .orElseThrow();

        ExecutionResult r = flow.run(sample("restore-input-latest.json"));

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertEquals(newestAvailable.snapshotName(), r.output().path("snapshotName").asText());
        assertTrue(newestAvailable.snapshotName().startsWith("automatic.orders-cache-"), newestAvailable.snapshotName());
        assertFalse(r.output().has("verification"), "verify was false");
        assertTrue(onlyAlert(flow).message().contains("Verification: not requested"));
    }

    @Test
    void aTargetThatExistsIsRefusedBeforeAnythingIsCreated() {
        RestoreFlow flow = flow();
        ExecutionResult r = flow.run(json("""
                {"snapshotName": "orders-before-migration", "targetReplicationGroupId": "sessions"}"""));

        assertEquals(Status.FAILED, r.status());
        assertEquals(RestoreRefusedException.class.getName(), r.error());
        assertTrue(r.cause().contains("targetReplicationGroupId: a replication group 'sessions' already exists"),
                r.cause());
        assertEquals(0, calls(flow, "CreateReplicationGroup"));
        assertEquals(0, calls(flow, "DeleteReplicationGroup"));
        assertEquals("available", status(flow, "sessions"));
        assertTrue(onlyAlert(flow).subject().contains("CRITICAL restore of sessions failed"));
    }

    /** Issue #9: a group that appears between Plan and Create (not ours) must survive, whatever the error name. */
    @ParameterizedTest
    @EnumSource(ErrorNaming.class)
    void aGroupCreatedByOthersMeanwhileIsNeverDeleted(ErrorNaming naming) {
        RestoreFlow flow = flow();
        flow.naming = naming;
        flow.afterPlan = () -> flow.aws.elastiCache().createReplicationGroup(b -> b.replicationGroupId("orders-restored")
                .replicationGroupDescription("someone else's").snapshotName("orders-before-migration"));
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.FAILED, r.status(), r::toString);
        assertEquals(0, calls(flow, "DeleteReplicationGroup"), "cleanup must not delete a group it did not create");
        assertEquals("creating", status(flow, "orders-restored"));
        JsonNode cleanup = r.callsOf("Cleanup").get(0).output();
        assertEquals("refused", cleanup.path("action").asText(), cleanup::toString);
        assertTrue(onlyAlert(flow).message().contains("refused"), "the operator learns the group was left alone");
    }

    @Test
    void aGroupTaggedByAnotherExecutionIsNeverDeleted() {
        RestoreFlow flow = flow();
        flow.afterPlan = () -> flow.aws.elastiCache().createReplicationGroup(b -> b.replicationGroupId("orders-restored")
                .replicationGroupDescription("an earlier restore").snapshotName("orders-before-migration")
                .tags(Tag.builder().key(RestoreTags.EXECUTION)
                        .value("arn:aws:states:eu-west-1:123456789012:execution:restore:yesterday").build()));
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.FAILED, r.status());
        assertEquals(0, calls(flow, "DeleteReplicationGroup"));
        assertTrue(r.callsOf("Cleanup").get(0).output().path("detail").asText().contains("yesterday"));
    }

    @Test
    void aGroupThisExecutionAlreadyCreatedIsResumedNotRecreated() {
        RestoreFlow flow = flow();
        flow.aws.elastiCache().createReplicationGroup(b -> b.replicationGroupId("orders-restored")
                .replicationGroupDescription("created by this execution before a redrive")
                .snapshotName("orders-before-migration")
                .tags(Tag.builder().key(RestoreTags.EXECUTION).value(flow.executionId()).build()));
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertEquals(1, r.timesEntered("AlreadyCreatedByThisExecution?"));
        assertEquals(0, calls(flow, "DeleteReplicationGroup"));
    }

    @Test
    void aSnapshotThatIsNotAvailableIsRefused() {
        RestoreFlow flow = flow();
        flow.aws.elastiCache().createSnapshot(b -> b.replicationGroupId("orders-cache").snapshotName("orders-now"));
        ExecutionResult r = flow.run(json("""
                {"snapshotName": "orders-now", "targetReplicationGroupId": "orders-restored"}"""));

        assertEquals(Status.FAILED, r.status());
        assertTrue(r.cause().contains("snapshotName: snapshot 'orders-now' is creating, not available"), r.cause());
        assertEquals(0, calls(flow, "CreateReplicationGroup"));
    }

    @Test
    void createFailedDeletesTheHalfBuiltGroupAndFails() {
        RestoreFlow flow = flow();
        flow.aws.elastiCache().failNextCreation("orders-restored");
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.FAILED, r.status());
        assertEquals("Restore.CreateFailed", r.error());
        assertEquals(1, calls(flow, "DeleteReplicationGroup"));
        assertEquals("deleting", status(flow, "orders-restored"));
        PublishedMessage alert = onlyAlert(flow);
        assertTrue(alert.message().contains("Reason: Restore.CreateFailed"), alert.message());
        assertTrue(alert.message().contains("Cleanup: deleted"), alert.message());
        // Left for the delete audit, so this delete does not raise a second, misleading alert.
        assertTrue(flow.aws.dynamoDb().items("cachekeeper-dedupe").stream().anyMatch(item ->
                ("mark#" + EventLedger.restoreCleanupMark("orders-restored")).equals(item.get("pk").s())),
                "the cleanup left no mark for the delete audit");
    }

    @Test
    void aCreationPastTheTimeCapTimesOut() {
        RestoreFlow flow = flow();
        flow.maxWait = Duration.ofMinutes(60);
        flow.aws.elastiCache().timings().groupCreate(Duration.ofMinutes(200));
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));
        report("time-out after 60 min", r);

        assertEquals(Status.FAILED, r.status());
        assertEquals("Restore.TimedOut", r.error());
        assertTrue(r.cause().contains("was still creating after 60 minutes"), r.cause());
        assertEquals(Duration.ofMinutes(60), r.waited());
        // ElastiCache will not delete a group that is still creating: the alert says how to finish the job.
        JsonNode cleanup = r.callsOf("Cleanup").get(0).output();
        assertEquals("delete-failed", cleanup.path("action").asText(), cleanup::toString);
        assertTrue(onlyAlert(flow).message().contains("aws elasticache delete-replication-group "
                + "--replication-group-id orders-restored"));
    }

    @ParameterizedTest
    @EnumSource(value = ErrorNaming.class, names = {"AS_RETURNED", "FAULT_KEPT", "FAULT_DROPPED"})
    void aThrottledCreateIsRetriedWithBackOff(ErrorNaming naming) {
        RestoreFlow flow = flow();
        flow.naming = naming;
        flow.aws.faults().throttle("CreateReplicationGroup", 2);
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertEquals(2, r.retries().stream().filter(x -> x.state().equals("Create")).count());
        assertEquals(3, calls(flow, "CreateReplicationGroup"));
    }

    @Test
    void aThrottledPollIsRetried() {
        RestoreFlow flow = flow();
        flow.afterPlan = () -> flow.aws.faults().throttle("DescribeReplicationGroups", 1);
        ExecutionResult r = flow.run(plain(sample("restore-input-by-name.json")));

        assertEquals(Status.SUCCEEDED, r.status(), r::toString);
        assertEquals(1, r.retries().stream().filter(x -> x.state().equals("DescribeGroup")).count());
    }

    @Test
    void aFailedVerificationDeletesTheNewGroupAndFails() {
        RestoreFlow flow = flow();
        ObjectNode input = plain(sample("restore-input-by-name.json"));
        input.putObject("canaryKeys").put("user:1", "mallory");
        ExecutionResult r = flow.run(input);

        assertEquals(Status.FAILED, r.status());
        assertEquals("Restore.VerificationFailed", r.error());
        assertTrue(r.cause().contains("canary key 'user:1' is 'alice', expected 'mallory'"), r.cause());
        assertEquals("deleting", status(flow, "orders-restored"));
        assertTrue(onlyAlert(flow).message().contains("Verification: FAILED"));
    }

    @Test
    void keepOnFailureKeepsTheGroupForInspection() {
        RestoreFlow flow = flow();
        ObjectNode input = plain(sample("restore-input-by-name.json"));
        input.putObject("canaryKeys").put("user:1", "mallory");
        input.put("keepOnFailure", true);
        ExecutionResult r = flow.run(input);

        assertEquals(Status.FAILED, r.status());
        assertEquals(0, calls(flow, "DeleteReplicationGroup"));
        assertEquals("available", status(flow, "orders-restored"));
        assertTrue(onlyAlert(flow).message().contains("Cleanup: kept - keepOnFailure is set"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"restore-input-invalid-target-id.json", "restore-input-invalid-snapshot-choice.json",
            "restore-input-invalid-types.json", "restore-input-invalid-engine-version.json"})
    void invalidInputFailsNamingTheFieldAndCreatesNothing(String sample) {
        RestoreFlow flow = flow();
        ExecutionResult r = flow.run(sample(sample));

        assertEquals(Status.FAILED, r.status());
        assertEquals(InvalidRestoreRequestException.class.getName(), r.error());
        String expected = switch (sample) {
            case "restore-input-invalid-target-id.json" -> "targetReplicationGroupId: must start with a letter";
            case "restore-input-invalid-snapshot-choice.json" -> "latestSnapshotOf: give either snapshotName or";
            case "restore-input-invalid-types.json" -> "verify: must be true or false";
            default -> "overrides.engineVersion: 7.2 is lower than the snapshot's engine version 8.0";
        };
        assertTrue(r.cause().contains(expected), r.cause());
        assertEquals(0, calls(flow, "CreateReplicationGroup"));
        assertTrue(onlyAlert(flow).message().contains(expected));
    }

    @Test
    void theAuthTokenNeverAppearsInTheResultHistoryAlertOrLogs() {
        RestoreFlow flow = flow();
        flow.redisRoute = a -> restoredWithAuth.address();
        String secretArn = flow.aws.secretsManager().putSecret("orders-restored-auth", TOKEN);
        ObjectNode input = plain(sample("restore-input-by-name.json"));
        input.put("authSecretArn", secretArn);
        input.putArray("canaryKeys").add("user:1");
        input.remove("minKeys");
        try (JsonLogs logs = new JsonLogs()) {
            ExecutionResult r = flow.run(input);

            assertEquals(Status.SUCCEEDED, r.status(), r::toString);
            assertTrue(r.output().path("verification").path("auth").asBoolean());
            String everything = r.output() + " " + r.history() + " " + Json.MAPPER.valueToTree(r.taskCalls());
            assertFalse(everything.contains(TOKEN), "the token leaked into the execution");
            assertFalse(onlyAlert(flow).message().contains(TOKEN));
            assertTrue(logs.text().contains("restore verification passed"), "logs were captured");
            assertFalse(logs.text().contains(TOKEN), "the token leaked into the logs");
        }
    }
}
