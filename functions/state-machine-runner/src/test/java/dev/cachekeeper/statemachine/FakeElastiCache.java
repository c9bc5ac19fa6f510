package dev.cachekeeper.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupResponse;
import software.amazon.awssdk.services.elasticache.model.CreateServerlessCacheSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateServerlessCacheSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshot;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

/** A hand-written ElastiCache client: records requests, answers from fields the test sets. */
class FakeElastiCache implements ElastiCacheClient {
    final List<Object> requests = new ArrayList<>();
    AwsServiceException createFailure;
    Supplier<String> status = () -> "available";

    static <B extends AwsServiceException.Builder> AwsServiceException error(B builder, String code, String message) {
        return builder.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("ElastiCache").build())
                .message(message + " (Service: ElastiCache, Status Code: 400)")
                .statusCode(400)
                .build();
    }

    @Override
    public CreateReplicationGroupResponse createReplicationGroup(CreateReplicationGroupRequest request) {
        requests.add(request);
        if (createFailure != null) {
            throw createFailure;
        }
        return CreateReplicationGroupResponse.builder()
                .replicationGroup(ReplicationGroup.builder().replicationGroupId(request.replicationGroupId()).status("creating").build())
                .build();
    }

    @Override
    public DescribeReplicationGroupsResponse describeReplicationGroups(DescribeReplicationGroupsRequest request) {
        requests.add(request);
        return DescribeReplicationGroupsResponse.builder()
                .replicationGroups(ReplicationGroup.builder().replicationGroupId(request.replicationGroupId()).status(status.get()).build())
                .build();
    }

    @Override
    public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest request) {
        requests.add(request);
        return CreateSnapshotResponse.builder()
                .snapshot(Snapshot.builder().snapshotName(request.snapshotName()).replicationGroupId(request.replicationGroupId())
                        .snapshotStatus("creating").build())
                .build();
    }

    @Override
    public CreateServerlessCacheSnapshotResponse createServerlessCacheSnapshot(CreateServerlessCacheSnapshotRequest request) {
        requests.add(request);
        return CreateServerlessCacheSnapshotResponse.builder()
                .serverlessCacheSnapshot(ServerlessCacheSnapshot.builder()
                        .serverlessCacheSnapshotName(request.serverlessCacheSnapshotName()).status("creating").build())
                .build();
    }

    @Override
    public String serviceName() {
        return "elasticache";
    }

    @Override
    public void close() {
    }
}
