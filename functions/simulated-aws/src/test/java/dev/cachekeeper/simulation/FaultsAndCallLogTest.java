package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.SnapshotQuotaExceededException;

class FaultsAndCallLogTest {

    @Test
    void throttlingIsTheServicesExceptionWithCodeThrottling() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.faults().throttle("DescribeSnapshots", 2);
        for (int i = 0; i < 2; i++) {
            var e = assertThrows(ElastiCacheException.class, () -> aws.elastiCache().describeSnapshots(
                    DescribeSnapshotsRequest.builder().build()));
            assertTrue(e.isThrottlingException());
            assertEquals("Throttling", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }
        aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().build());
        List<String> outcomes = aws.callLog().of("DescribeSnapshots").stream().map(ApiCall::outcome).toList();
        assertEquals(List.of("Throttling", "Throttling", "ok"), outcomes);
    }

    @Test
    void failWithAnErrorCodeGivesTheModelledExceptionAndChangesNothing() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.faults().fail("elasticache:CreateSnapshot", 1, "SnapshotQuotaExceededFault");
        assertThrows(SnapshotQuotaExceededException.class, () -> aws.elastiCache().createSnapshot(
                CreateSnapshotRequest.builder().replicationGroupId("orders").snapshotName("x").build()));
        assertTrue(aws.elastiCache().snapshotNames().isEmpty());
        aws.faults().serverError("DescribeReplicationGroups", 1);
        var e = assertThrows(ElastiCacheException.class, () -> aws.elastiCache().describeReplicationGroups(
                DescribeReplicationGroupsRequest.builder().build()));
        assertEquals(503, e.statusCode());
        assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
        assertFalse(e.isThrottlingException());
    }

    @Test
    void randomFaultsAreReproducibleForASeed() {
        List<String> first = randomOutcomes(42);
        assertEquals(first, randomOutcomes(42));
        assertTrue(first.contains("Throttling") && first.contains("ok"), first.toString());
    }

    private static List<String> randomOutcomes(long seed) {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.clearCalls();
        aws.faults().randomly(0.3, 0.1, seed, "DescribeReplicationGroups");
        for (int i = 0; i < 50; i++) {
            try {
                aws.elastiCache().describeReplicationGroups(DescribeReplicationGroupsRequest.builder().build());
            } catch (ElastiCacheException ignored) {
                // counted in the call log
            }
        }
        return aws.calls().stream().map(ApiCall::outcome).toList();
    }

    @Test
    void callLogRecordsKeyParametersAndWhetherTheCallMutates() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.clearCalls();
        aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders")
                .snapshotName("x").build());
        aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().snapshotName("x").build());
        List<ApiCall> calls = aws.calls();
        assertEquals(2, calls.size());
        assertEquals("elasticache", calls.get(0).service());
        assertEquals("orders", calls.get(0).param("ReplicationGroupId"));
        assertTrue(calls.get(0).mutating());
        assertFalse(calls.get(1).mutating());
        assertEquals(aws.now(), calls.get(1).at());
        assertEquals(1, aws.callsByOperation().get("CreateSnapshot").size());
    }

    @Test
    void concurrentCallersSeeAConsistentAccount() throws Exception {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.elastiCache().setManualSnapshotQuota(1000);
        aws.elastiCache().timings().snapshot(Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                try {
                    aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders")
                            .snapshotName("same-name").build());
                    return "created";
                } catch (ElastiCacheException e) {
                    return e.awsErrorDetails().errorCode();
                } finally {
                    aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().build());
                    if (n % 8 == 0) {
                        aws.advance(Duration.ofSeconds(1));
                    }
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, outcomes.stream().filter("created"::equals).count(), outcomes.toString());
        assertEquals(128, aws.calls().stream().filter(c -> !c.operation().equals("CreateReplicationGroup")).count());
    }

    @Test
    void latencyReallySleeps() {
        SimulatedAws aws = new SimulatedAws();
        aws.setLatency(Duration.ofMillis(30));
        long t0 = System.nanoTime();
        aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().build());
        assertTrue(System.nanoTime() - t0 >= 30_000_000L);
    }
}
