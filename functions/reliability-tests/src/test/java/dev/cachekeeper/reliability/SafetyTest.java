package dev.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.local.SampleTargets;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.statemachine.ExecutionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.Tag;

/**
 * Tries to make cachekeeper delete what it must not, through the deployed stack (local runner, template's
 * parameters and wiring), and checks the call log: no {@code DeleteSnapshot}/{@code DeleteServerlessCacheSnapshot}
 * names a snapshot that lacks our prefix {@code cachekeeper-} or our tag {@code cachekeeper:managed=true}, no
 * {@code DeleteReplicationGroup} names a group the restore execution did not create itself, and the thing is
 * still there afterwards.
 *
 * <p>Not covered here: {@code cachekeeper:destroy-protection} is enforced by IAM only (SECURITY.md), there is no
 * Java path for it to test. The name prefix and tag value are compared case-insensitively by the Java guard
 * (SnapshotNamesTest); the simulation, like ElastiCache, stores snapshot names in lower case and refuses
 * {@code _} in them, so {@code CacheKeeper-}/{@code cachekeeper_} lookalikes cannot exist.
 */
class SafetyTest {
    static final String SOURCE = "automatic.orders-cache-2026-11-20-03-00";
    static final String OURS = "cachekeeper-archive-automatic-orders-cache-expired";

    /** Lookalikes of archive copies, past any retention: name -> tags. None may be deleted. */
    static Map<String, Map<String, String>> lookalikes() {
        Map<String, String> ourTags = Map.of("cachekeeper:managed", "true", "cachekeeper:reason", "archive",
                "cachekeeper:source-cache", "orders-cache", "cachekeeper:created", "2026-10-01T00:00:00Z",
                "cachekeeper:expires", "2026-10-02T00:00:00Z");
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("cachekeeper-archive-prefix-only", Map.of("team", "orders"));
        m.put("orders-archive-tag-only", ourTags);
        m.put("someones-archive-neither", Map.of());
        m.put("cachekeeperarchive-no-dash", ourTags);
        m.put("my-cachekeeper-archive-infix", ourTags);
        m.put("cachekeeper-archive-tag-false", with(ourTags, "cachekeeper:managed", "false"));
        m.put("cachekeeper-archive-tag-yes", with(ourTags, "cachekeeper:managed", "yes"));
        m.put("cachekeeper-archive-tag-empty", with(ourTags, "cachekeeper:managed", ""));
        m.put("cachekeeper-archive-tag-on-other-key", Map.of("cachekeeper:protect", "true"));
        return m;
    }

    static Map<String, String> with(Map<String, String> tags, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(tags);
        m.put(key, value);
        return m;
    }

    static void copy(SimulatedAws sim, String name, Map<String, String> tags) {
        sim.elastiCache().copySnapshot(b -> b.sourceSnapshotName(SOURCE).targetSnapshotName(name)
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                        .toList()));
    }

    static List<ApiCall> deletes(Stack s) {
        return s.calls().stream().filter(c -> c.operation().startsWith("Delete")).toList();
    }

    @Test
    void theArchiverPrunesOnlyItsOwnCopiesEvenWithNoRetentionAndNoMinimum() {
        SimulatedAws sim = Stack.defaultWorld();
        Stack s = Stack.on(sim, Map.of("ArchiveRetentionDays", "1", "ArchiveMinCopies", "0"));
        lookalikes().forEach((name, tags) -> copy(sim, name, tags));
        // the positive control: really ours and expired, so the prune path does run
        copy(sim, OURS, lookalikes().get("orders-archive-tag-only"));
        s.deployment.advance(Duration.ofHours(1)); // copies complete

        Stack.Outcome o = s.deliver("SnapshotArchiverFunction", Stack.read(Stack.CHECKOUT.events()
                .resolve("schedule-archiver-sweep.json")), "schedule-archiver-sweep.json");
        assertFalse(o.failed(), o.toString());
        s.deployment.advance(Duration.ofHours(1));

        List<String> deleted = deletes(s).stream().map(c -> c.param("SnapshotName")).toList();
        assertEquals(List.of(OURS), deleted, "the sweep deleted something that is not its own expired copy");
        for (String name : lookalikes().keySet()) {
            assertTrue(sim.elastiCache().snapshotNames().contains(name), name + " is gone");
        }
        assertTrue(sim.elastiCache().snapshotNames().contains("orders-before-migration"));
        assertTrue(sim.elastiCache().snapshotNames().contains(SOURCE));
    }

    @Test
    void aSafeDestroyWhoseSnapshotFailsDeletesNothing() {
        Stack s = Stack.fresh();
        s.sim.elastiCache().failNextSnapshot("orders-cache");
        Stack.Outcome o = s.deliver("SafeDestroyStateMachine", Stack.read(Stack.CHECKOUT.events()
                .resolve("cachekeeper-request-destroy-delete.json")), "destroy with failing snapshot");
        assertTrue(o.failed(), o.toString());
        assertEquals(List.of(), deletes(s).stream().map(c -> c.operation() + " " + c.keyParams()).toList());
        assertTrue(s.state().caches().containsKey("replication-group orders-cache"));
    }

    /**
     * The stack's {@code DryRun=true} means "change nothing": every sample of events/ delivered to every target
     * template.yaml routes it to (the destroy requests and restore inputs to their state machines included) may
     * read, log and announce, but no call that changes the caches, their snapshots or an S3 bucket may succeed.
     */
    @Test
    void withTheStacksDryRunNoSampleChangesACacheASnapshotOrABucket() {
        Stack s = Stack.on(Stack.defaultWorld(), Map.of("DryRun", "true"));
        List<String> deliveries = new ArrayList<>();
        int previews = 0;
        for (SampleTargets.Target t : Stack.targets()) {
            Stack.Outcome o = s.deliver(t);
            deliveries.add(o.toString());
            if (t.logicalId().equals("RestoreStateMachine") && !o.failed()) {
                assertEquals("DRY_RUN", o.execution().output().path("status").asText(), o.toString());
                previews++;
            }
        }
        s.deployment.advance(Duration.ofHours(2));

        List<String> changes = s.calls().stream()
                .filter(c -> c.mutating() && c.ok() && (c.service().equals("elasticache") || c.service().equals("s3")))
                .map(c -> c.service() + " " + c.operation() + " " + c.keyParams()).toList();
        assertEquals(List.of(), changes, "a dry run changed the account; deliveries: " + deliveries);
        assertEquals(2, previews, "the two valid restore samples end as previews: " + deliveries);
    }

    /**
     * The restore's target group appears between the plan (which saw no group) and CreateReplicationGroup: made
     * by hand or by another execution, with or without a (forged) execution tag. The create fails with
     * ReplicationGroupAlreadyExists; the cleanup must leave that group alone.
     */
    @ParameterizedTest(name = "restore-execution tag: ''{0}''")
    @ValueSource(strings = {"<none>", "arn:aws:states:eu-west-1:123456789012:execution:cachekeeper-restore-local:another",
            "true", "RestoreStateMachine-1"})
    void aRestoreNeverDeletesAGroupItDidNotCreate(String executionTag) {
        Stack s = Stack.fresh();
        String target = "orders-restored-race";
        s.sim.faults().fail("CreateReplicationGroup", 1, () -> {
            s.sim.elastiCache().createReplicationGroup(b -> b.replicationGroupId(target)
                    .replicationGroupDescription("made by hand while the restore planned").engine("valkey")
                    .cacheNodeType("cache.t4g.small").numCacheClusters(1)
                    .tags(executionTag.equals("<none>") ? List.of() : List.of(Tag.builder()
                            .key("cachekeeper:restore-execution").value(executionTag).build())));
            return (RuntimeException) ReplicationGroupAlreadyExistsException.builder().statusCode(400)
                    .message("Replication group " + target + " already exists.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ReplicationGroupAlreadyExists")
                            .errorMessage("Replication group " + target + " already exists.").build())
                    .build();
        });
        ObjectNode input = Json.MAPPER.createObjectNode().put("latestSnapshotOf", "orders-cache")
                .put("targetReplicationGroupId", target).put("verify", false);
        Stack.Outcome o = s.deliver("RestoreStateMachine", input, "restore racing a hand-made group");
        s.deployment.advance(Duration.ofHours(1));

        ExecutionResult r = o.execution();
        assertTrue(o.failed(), "the restore claimed success over a group it did not create: " + o);
        assertTrue(r.statesEntered().contains("Cleanup"), r.statesEntered().toString());
        assertEquals(List.of(), deletes(s).stream().map(c -> c.operation() + " " + c.keyParams()).toList(),
                "the restore deleted a group it did not create");
        assertTrue(s.state().caches().containsKey("replication-group " + target), s.state().caches().toString());
    }
}
