package dev.cachekeeper.restore;

import static dev.cachekeeper.restore.RestoreFlow.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner on the simulated account, and the pieces it is built from. */
class RestorePlannerTest {
    private final RestoreFlow flow = new RestoreFlow();
    private final RestorePlanner planner = new RestorePlanner(flow.aws.elastiCache(), flow.retrier(), flow.aws.clock(),
            new RestoreConfig(Duration.ofMinutes(120), List.of("sg-0default00000001"), false));

    @Test
    void theRestoredGroupKeepsTheSourcesTlsAndAtRestEncryptionAndSecurityGroups() {
        JsonNode plan = planner.plan(RestoreRequest.parse(json("""
                {"snapshotName": "orders-before-migration", "targetReplicationGroupId": "orders-restored"}""")),
                "arn:aws:states:eu-west-1:123456789012:execution:restore:x");
        JsonNode create = plan.path("create");

        assertTrue(create.path("TransitEncryptionEnabled").asBoolean());
        assertTrue(create.path("AtRestEncryptionEnabled").asBoolean());
        assertEquals("[\"sg-0orders000000001\"]", create.path("SecurityGroupIds").toString());
        assertEquals("source-group", plan.path("securityGroupsFrom").asText());
        assertEquals("8.0", create.path("EngineVersion").asText());
    }

    @Test
    void withoutASurvivingSourceTheStackDefaultSecurityGroupsAreUsed() {
        // legacy-memcache-free is a standalone cluster: no replication group to take security groups from
        String name = flow.aws.elastiCache().describeSnapshots(b -> b.cacheClusterId("legacy-memcache-free"))
                .snapshots().get(0).snapshotName();
        JsonNode plan = planner.plan(RestoreRequest.parse(json("{\"snapshotName\": \"" + name
                + "\", \"targetReplicationGroupId\": \"legacy-restored\"}")), "exec");

        assertEquals("stack-default", plan.path("securityGroupsFrom").asText());
        assertEquals("[\"sg-0default00000001\"]", plan.path("create").path("SecurityGroupIds").toString());
    }

    @Test
    void everyInputProblemIsReportedAtOnceNamingItsField() {
        InvalidRestoreRequestException e = assertThrows(InvalidRestoreRequestException.class, () ->
                RestoreRequest.parse(json("""
                        {"targetReplicationGroupId": "orders--x", "verify": "yes", "overrides": {"numNodeGroups": 0,
                         "tags": {"cachekeeper:restore-execution": "forged"}}, "authSecretArn": "my-token",
                         "dryRun": "yes"}""")));

        List<String> p = e.problems();
        assertTrue(p.stream().anyMatch(s -> s.startsWith("snapshotName: give the snapshot to restore")), p::toString);
        assertTrue(p.contains("targetReplicationGroupId: may not contain two consecutive hyphens ('orders--x')"), p::toString);
        assertTrue(p.contains("verify: must be true or false (a JSON boolean, not a string)"), p::toString);
        assertTrue(p.contains("dryRun: must be true or false (a JSON boolean, not a string)"), p::toString);
        assertTrue(p.contains("overrides.numNodeGroups: must be a whole number from 1 to 500"), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("overrides.tags.cachekeeper:restore-execution: keys starting")),
                "nobody may forge the tag that licenses deletion");
        assertTrue(p.stream().anyMatch(s -> s.startsWith("authSecretArn: must be a Secrets Manager secret ARN")));
    }

    /** The problems travel into the execution's result and the failure alert: a pasted token must not. */
    @Test
    void aTokenPastedIntoTheInputIsRefusedWithoutBeingRepeated() {
        String token = "pasted-Auth-Token-0123456789abcdef";
        InvalidRestoreRequestException e = assertThrows(InvalidRestoreRequestException.class, () ->
                RestoreRequest.parse(json("{\"snapshotName\": \"orders-before-migration\", "
                        + "\"targetReplicationGroupId\": \"orders-restored\", \"authToken\": \"" + token + "\", "
                        + "\"authSecretArn\": \"" + token + "\"}")));

        String all = String.join("\n", e.problems());
        assertTrue(all.contains("authToken: unknown field"), all);
        assertTrue(all.contains("never put the token itself in the input"), all);
        assertTrue(!all.contains(token), "the token is repeated in: " + all);
    }

    @Test
    void replicationGroupIdRules() {
        assertEquals(null, RestoreRequest.replicationGroupIdProblem("orders-restored-2"));
        assertTrue(RestoreRequest.replicationGroupIdProblem("a".repeat(41)).startsWith("must be 1 to 40"));
        assertTrue(RestoreRequest.replicationGroupIdProblem("orders-").startsWith("may not end with a hyphen"));
        assertTrue(RestoreRequest.replicationGroupIdProblem("orders_x").startsWith("may contain only letters"));
    }

    @Test
    void waitsStartLongThenGrowAndSumToTheCap() {
        List<Integer> waits = WaitSchedule.waits(Duration.ofMinutes(60));
        assertEquals(List.of(600, 120, 180, 240, 300, 300, 300, 300, 300, 300, 300, 300, 60), waits);
        assertEquals(3600, waits.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void engineVersionsCompareNumerically() {
        assertTrue(RestorePlanner.compareVersions("7.1", "7.0.7") > 0);
        assertEquals(0, RestorePlanner.compareVersions("7.1", "7.1.0"));
        assertTrue(RestorePlanner.compareVersions("6.2", "7.0") < 0);
        assertTrue(RestorePlanner.compareVersions("10.0", "9.0") > 0);
    }
}
