package dev.cachekeeper.destroy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.statemachine.ExecutionResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;

/**
 * statemachines/safe-destroy.asl.json run by aws-local-stepfunctions; every Task is the real handler on the
 * simulated account, and every Wait moves the simulated clock.
 */
class SafeDestroyStateMachineTest {

    @Test
    void definitionIsValid() {
        new Fixture().machine().validate();
    }

    @Test
    void snapshotOnlyWaitsUntilAvailableAndLeavesTheCache() {
        Fixture f = new Fixture();
        Instant start = f.now();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-snapshot-only.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause() + " " + r.problems());
        JsonNode flow = r.output();
        String name = flow.path("snapshotName").asText();
        assertTrue(name.startsWith("cachekeeper-pre-destroy-orders-cache-"), name);
        assertEquals("available", flow.path("snapshotStatus").asText());
        assertFalse(flow.path("deleted").asBoolean(false));
        // orders-cache is cluster-mode disabled: snapshotted from its replica, not the primary
        ApiCall create = f.calls("CreateSnapshot").get(0);
        assertEquals("orders-cache-002", create.param("CacheClusterId"));
        Map<String, String> tags = f.snapshotTags(name);
        assertEquals("true", tags.get(ManagedTags.MANAGED));
        assertEquals("pre-destroy", tags.get(ManagedTags.REASON));
        assertEquals("orders-cache", tags.get(ManagedTags.SOURCE_CACHE));
        assertEquals("jane.doe@example.com", tags.get(ManagedTags.REQUESTER));
        assertEquals(start.toString(), tags.get(ManagedTags.CREATED));
        assertEquals("orders", tags.get("team"), "the cache's own tags are kept on the snapshot");
        // the flow waited (growing waits) rather than deciding at once, and never deleted anything
        assertTrue(r.timesEntered("WaitForSnapshot") >= 2, r.statesEntered().toString());
        assertTrue(f.calls("DeleteReplicationGroup").isEmpty());
        assertEquals("available", f.aws.elastiCache().describeReplicationGroups(b -> b.replicationGroupId(
                "orders-cache")).replicationGroups().get(0).status());
        PublishedMessage alert = f.alerts().get(0);
        assertEquals("INFO", alert.attributes().get("severity"));
        assertTrue(alert.subject().contains(name.substring(0, 40)), alert.subject());
    }

    @Test
    void waitsGrowAndStayUnderFiveMinutes() {
        Fixture f = new Fixture();
        f.aws.elastiCache().timings().snapshot(Duration.ofMinutes(40));
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-snapshot-only.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause());
        List<Integer> waits = r.callsOf("CheckSnapshot").stream()
                .map(c -> c.output().path("waitSeconds").asInt()).filter(w -> w > 0).toList();
        for (int i = 1; i < waits.size(); i++) {
            assertTrue(waits.get(i) >= waits.get(i - 1) && waits.get(i) <= 300, waits.toString());
        }
        assertEquals(300, waits.get(waits.size() - 1), waits.toString());
        // 40 minutes of snapshot in far fewer polls than a fixed 30-second wait would need (80)
        assertTrue(r.timesEntered("CheckSnapshot") < 20, "polls: " + r.timesEntered("CheckSnapshot"));
    }

    @Test
    void deleteAfterSnapshotDeletesOnlyOnceTheSnapshotIsAvailableAndKeepsIt() {
        Fixture f = new Fixture();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause() + " " + r.problems());
        JsonNode flow = r.output();
        String name = flow.path("snapshotName").asText();
        String finalName = flow.path("finalSnapshotName").asText();
        assertTrue(flow.path("deleted").asBoolean());
        assertTrue(finalName.startsWith("cachekeeper-final-orders-cache-"), finalName);

        ApiCall delete = f.calls("DeleteReplicationGroup").get(0);
        assertEquals(finalName, delete.param("FinalSnapshotIdentifier"));
        ApiCall create = f.calls("CreateSnapshot").get(0);
        // the snapshot takes 5 simulated minutes: the delete came after it, not with it
        assertFalse(delete.at().isBefore(create.at().plus(f.aws.elastiCache().timings().snapshot())));

        f.aws.advance(Duration.ofMinutes(30));
        try {
            f.aws.elastiCache().describeReplicationGroups(b -> b.replicationGroupId("orders-cache"));
            throw new AssertionError("orders-cache should be gone");
        } catch (ReplicationGroupNotFoundException expected) {
            // deleted
        }
        List<String> snapshots = f.aws.elastiCache().snapshotNames();
        assertTrue(snapshots.contains(name), "the pre-destroy snapshot outlives the cache: " + snapshots);
        assertTrue(snapshots.contains(finalName), "and so does the final snapshot: " + snapshots);
        assertEquals("available", f.aws.elastiCache().describeSnapshots(b -> b.snapshotName(name))
                .snapshots().get(0).snapshotStatus());
        assertTrue(f.alerts().get(0).subject().contains("deleted after snapshot"), f.alerts().get(0).subject());
    }

    @Test
    void clusterModeEnabledGroupIsSnapshottedAtGroupLevel() {
        Fixture f = new Fixture();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-cluster-mode-enabled.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause() + " " + r.problems());
        ApiCall create = f.calls("CreateSnapshot").get(0);
        assertEquals("sessions", create.param("ReplicationGroupId"));
        assertEquals(null, create.param("CacheClusterId"));
        ApiCall delete = f.calls("DeleteReplicationGroup").get(0);
        assertEquals(null, delete.param("FinalSnapshotIdentifier"), "no final snapshot was asked for");
        assertTrue(r.output().path("deleted").asBoolean());
    }

    @Test
    void serverlessCacheUsesTheServerlessApis() {
        Fixture f = new Fixture();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-serverless.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause() + " " + r.problems());
        String name = r.output().path("snapshotName").asText();
        assertEquals(name, f.calls("CreateServerlessCacheSnapshot").get(0).param("ServerlessCacheSnapshotName"));
        assertEquals("catalog", f.calls("DeleteServerlessCache").get(0).param("ServerlessCacheName"));
        Map<String, String> tags = f.aws.elastiCache().tagsOf(f.aws.elastiCache().arn("serverlesscachesnapshot", name));
        assertEquals("catalog", tags.get(ManagedTags.SOURCE_CACHE));
    }

    @Test
    void failedSnapshotEndsFailedAndDeletesNothing() {
        Fixture f = new Fixture();
        f.aws.elastiCache().failNextSnapshot();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json"));

        assertEquals(ExecutionResult.Status.FAILED, r.status());
        assertEquals(SafeDestroyer.SNAPSHOT_FAILED, r.error());
        assertTrue(r.cause().contains("not deleted"), r.cause());
        assertTrue(f.calls("DeleteReplicationGroup").isEmpty());
        assertEquals(1, f.alerts().size());
        assertEquals("WARNING", f.alerts().get(0).attributes().get("severity"));
        assertTrue(f.alerts().get(0).subject().contains("SnapshotFailed"));
    }

    @Test
    void snapshotTooSlowTimesOutAtTheLimitAndDeletesNothing() {
        Fixture f = new Fixture().env(SafeDestroyer.WAIT_LIMIT, "20m");
        f.aws.elastiCache().timings().snapshot(Duration.ofHours(3));
        Instant start = f.now();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json"));

        assertEquals(ExecutionResult.Status.FAILED, r.status());
        assertEquals(SafeDestroyer.SNAPSHOT_TIMED_OUT, r.error());
        assertTrue(f.calls("DeleteReplicationGroup").isEmpty());
        Duration took = Duration.between(start, f.now());
        assertTrue(took.compareTo(Duration.ofMinutes(20)) >= 0 && took.compareTo(Duration.ofMinutes(21)) < 0,
                "gave up after " + took);
        assertTrue(f.alerts().get(0).subject().contains("SnapshotTimedOut"));
    }

    @Test
    void cacheNotAvailableFailsAtOnceWithoutRetries() {
        Fixture f = new Fixture();
        f.aws.elastiCache().setGroupStatus("orders-cache", "modifying");
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json"));

        assertEquals(ExecutionResult.Status.FAILED, r.status());
        assertEquals(SafeDestroyer.CACHE_NOT_AVAILABLE, r.error());
        assertTrue(r.cause().contains("modifying"), r.cause());
        assertTrue(r.retries().isEmpty(), "no retry storm: " + r.retries());
        assertEquals(1, r.taskCalls().stream().filter(c -> c.state().equals("TakeSnapshot")).count());
        assertTrue(f.mutatingCalls().isEmpty(), f.mutatingCalls().toString());
    }

    @Test
    void unknownCacheFailsWithCacheNotFound() {
        Fixture f = new Fixture();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json", d -> d.put("cacheId", "nope")));

        assertEquals(SafeDestroyer.CACHE_NOT_FOUND, r.error());
        assertTrue(f.mutatingCalls().isEmpty());
    }

    @Test
    void repeatedRequestReusesTheSnapshot() {
        Fixture f = new Fixture();
        ExecutionResult first = f.run(f.request("cachekeeper-request-destroy-snapshot-only.json"));
        f.aws.advance(Duration.ofMinutes(10));
        ExecutionResult second = f.run(f.request("cachekeeper-request-destroy-snapshot-only.json",
                d -> d.put("requester", "someone-else")));

        assertTrue(first.succeeded() && second.succeeded(), () -> second.error() + ": " + second.cause());
        assertEquals(first.output().path("snapshotName"), second.output().path("snapshotName"));
        assertTrue(second.output().path("reused").asBoolean());
        assertEquals(1, f.calls("CreateSnapshot").size(), "one snapshot, not two");
        assertEquals(0, second.timesEntered("WaitForSnapshot"), "already available: no waiting");
    }

    @Test
    void aDifferentReasonTakesItsOwnSnapshot() {
        Fixture f = new Fixture();
        f.run(f.request("cachekeeper-request-destroy-snapshot-only.json"));
        f.aws.advance(Duration.ofMinutes(10));
        ExecutionResult second = f.run(f.request("cachekeeper-request-destroy-snapshot-only.json",
                d -> d.put("reason", "another reason")));

        assertTrue(second.succeeded());
        assertFalse(second.output().path("reused").asBoolean());
        assertEquals(2, f.calls("CreateSnapshot").size());
    }

    @Test
    void badRequestFailsNamingTheFieldAndTouchesNothing() {
        Fixture f = new Fixture();
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json", d -> d.remove("requester")));

        assertEquals(ExecutionResult.Status.FAILED, r.status());
        assertEquals(SafeDestroyer.INVALID_REQUEST, r.error());
        assertTrue(r.cause().contains("detail.requester"), r.cause());
        assertTrue(f.mutatingCalls().isEmpty());
        assertEquals("WARNING", f.alerts().get(0).attributes().get("severity"));
    }

    @Test
    void dryRunPlansAndChangesNothing() {
        Fixture f = new Fixture().env(Settings.DRY_RUN, "true");
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause());
        assertTrue(r.output().path("dryRun").asBoolean());
        assertEquals("planned", r.output().path("snapshotStatus").asText());
        assertTrue(f.mutatingCalls().isEmpty(), f.mutatingCalls().toString());
        assertTrue(f.alerts().get(0).subject().contains("dry run"), f.alerts().get(0).subject());
    }

    @Test
    void throttlingIsRiddenOutWithBackOff() {
        Fixture f = new Fixture();
        // more throttles than the function's own retrier takes in one invocation (6 attempts)
        f.aws.faults().throttle("CreateSnapshot", 8);
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-snapshot-only.json"));

        assertTrue(r.succeeded(), () -> r.error() + ": " + r.cause() + " " + r.problems());
        assertFalse(r.retries().isEmpty(), "the state machine retried the task");
        assertEquals("dev.cachekeeper.destroy.AwsUnavailableException", r.retries().get(0).error());
        assertEquals(1, f.calls("CreateSnapshot").stream().filter(ApiCall::ok).count());
        assertNotNull(r.output().path("snapshotName").asText(null));
    }

    @Test
    void anUnexpectedErrorIsCaughtAnnouncedAndFailsTheExecution() {
        Fixture f = new Fixture();
        f.aws.faults().fail("DescribeReplicationGroups", 1, "AccessDenied");
        ExecutionResult r = f.run(f.request("cachekeeper-request-destroy-delete.json"));

        assertEquals(ExecutionResult.Status.FAILED, r.status());
        assertEquals("ElastiCacheException", r.error());
        assertTrue(r.cause().contains("AccessDenied"), r.cause());
        assertTrue(r.retries().isEmpty(), "a permission error is not retried: " + r.retries());
        assertEquals(1, r.timesEntered("AnnounceFailure"));
        assertTrue(f.mutatingCalls().isEmpty());
        assertEquals("WARNING", f.alerts().get(0).attributes().get("severity"));
    }
}
