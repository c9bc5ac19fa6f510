package dev.cachekeeper.simulation;

import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

/** Small helpers shared by the tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A cluster-mode-disabled Valkey group with one replica, already available. */
    static SimulatedAws withGroup(String id, int retentionDays) {
        SimulatedAws aws = new SimulatedAws();
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder()
                .replicationGroupId(id).replicationGroupDescription("test").engine("valkey")
                .numCacheClusters(2).automaticFailoverEnabled(true).multiAZEnabled(true)
                .snapshotRetentionLimit(retentionDays).build());
        aws.advance(aws.elastiCache().timings().groupCreate());
        return aws;
    }

    static ReplicationGroup group(SimulatedAws aws, String id) {
        return aws.elastiCache().describeReplicationGroups(DescribeReplicationGroupsRequest.builder()
                .replicationGroupId(id).build()).replicationGroups().get(0);
    }

    static Snapshot snapshot(SimulatedAws aws, String name) {
        return aws.elastiCache().describeSnapshots(DescribeSnapshotsRequest.builder().snapshotName(name).build())
                .snapshots().get(0);
    }

    static String errorCode(Throwable t) {
        return ((software.amazon.awssdk.awscore.exception.AwsServiceException) t).awsErrorDetails().errorCode();
    }
}
