package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CopySnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterValueException;
import software.amazon.awssdk.services.s3.model.GetBucketAclRequest;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsRequest;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.PutBucketAclRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

class ExportTest {
    private static SimulatedAws withSnapshot() {
        SimulatedAws aws = Fixtures.withGroup("orders", 0);
        aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("orders")
                .snapshotName("snap").build());
        aws.advance(Duration.ofMinutes(5));
        return aws;
    }

    private static String export(SimulatedAws aws, String target, String bucket) {
        try {
            aws.elastiCache().copySnapshot(CopySnapshotRequest.builder().sourceSnapshotName("snap")
                    .targetSnapshotName(target).targetBucket(bucket).build());
            return "ok";
        } catch (InvalidParameterValueException e) {
            return e.awsErrorDetails().errorMessage();
        }
    }

    @Test
    void exportWritesOneRdbPerShardAfterTheExportTime() {
        SimulatedAws aws = withSnapshot();
        aws.s3().createBucket("exports", "eu-west-1", ObjectOwnership.BUCKET_OWNER_PREFERRED);
        aws.s3().grantElastiCacheExport("exports");
        assertEquals("ok", export(aws, "orders-2026-11-01", "exports"));
        assertEquals("copying", Fixtures.snapshot(aws, "snap").snapshotStatus());
        assertTrue(aws.s3().keys("exports").isEmpty());
        aws.advance(Duration.ofMinutes(5));
        assertEquals(List.of("orders-2026-11-01-0001.rdb"), aws.s3().keys("exports"));
        assertEquals("available", Fixtures.snapshot(aws, "snap").snapshotStatus());
        assertTrue(export(aws, "orders-2026-11-01", "exports").contains("already exists"));
    }

    @Test
    void exportSaysExactlyWhatIsWrongWithTheBucket() {
        SimulatedAws aws = withSnapshot();
        assertTrue(export(aws, "x", "missing").contains("does not exist"));
        aws.s3().createBucket("acl-disabled");
        aws.s3().grantElastiCacheExport("acl-disabled"); // a grant is meaningless while ACLs are disabled
        String disabled = export(aws, "x", "acl-disabled");
        assertTrue(disabled.contains("ACLs are disabled"), disabled);
        aws.s3().createBucket("no-grant", "eu-west-1", ObjectOwnership.OBJECT_WRITER);
        String noGrant = export(aws, "x", "no-grant");
        assertTrue(noGrant.contains("READ, WRITE, READ_ACP"), noGrant);
        aws.s3().createBucket("partial", "eu-west-1", ObjectOwnership.OBJECT_WRITER);
        aws.s3().grant("partial", SimulatedElastiCache.EXPORT_CANONICAL_ID, Permission.READ, Permission.WRITE);
        assertTrue(export(aws, "x", "partial").contains("READ_ACP"));
        aws.s3().createBucket("elsewhere", "us-east-1", ObjectOwnership.OBJECT_WRITER);
        aws.s3().grantElastiCacheExport("elsewhere");
        assertTrue(export(aws, "x", "elsewhere").contains("us-east-1"));
    }

    @Test
    void dataTieringClustersCannotExport() {
        SimulatedAws aws = new SimulatedAws();
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder().replicationGroupId("tiered")
                .replicationGroupDescription("d").cacheNodeType("cache.r6gd.xlarge").dataTieringEnabled(true)
                .build());
        aws.advance(Duration.ofMinutes(10));
        aws.elastiCache().createSnapshot(CreateSnapshotRequest.builder().replicationGroupId("tiered")
                .snapshotName("snap").build());
        aws.advance(Duration.ofMinutes(5));
        aws.s3().createBucket("exports", "eu-west-1", ObjectOwnership.OBJECT_WRITER);
        aws.s3().grantElastiCacheExport("exports");
        assertTrue(export(aws, "x", "exports").contains("data tiering"));
    }

    @Test
    void bucketAclReadsWorkWithAclsDisabledButWritesFail() {
        SimulatedAws aws = new SimulatedAws();
        aws.s3().createBucket("b");
        var acl = aws.s3().getBucketAcl(GetBucketAclRequest.builder().bucket("b").build());
        assertEquals(1, acl.grants().size());
        assertEquals(Permission.FULL_CONTROL, acl.grants().get(0).permission());
        var e = assertThrows(S3Exception.class, () -> aws.s3().putBucketAcl(PutBucketAclRequest.builder().bucket("b")
                .build()));
        assertEquals("AccessControlListNotSupported", e.awsErrorDetails().errorCode());
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, aws.s3().getBucketOwnershipControls(
                GetBucketOwnershipControlsRequest.builder().bucket("b").build()).ownershipControls().rules().get(0)
                .objectOwnership());
    }
}
