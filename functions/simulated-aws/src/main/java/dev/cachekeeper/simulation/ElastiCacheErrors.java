package dev.cachekeeper.simulation;

import static java.util.Map.entry;

import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.elasticache.model.ApiCallRateForCustomerExceededException;
import software.amazon.awssdk.services.elasticache.model.CacheClusterAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.CacheParameterGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.InsufficientCacheClusterCapacityException;
import software.amazon.awssdk.services.elasticache.model.InvalidArnException;
import software.amazon.awssdk.services.elasticache.model.InvalidCacheClusterStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidKmsKeyException;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.elasticache.model.InvalidParameterValueException;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidServerlessCacheSnapshotStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidServerlessCacheStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidSnapshotStateException;
import software.amazon.awssdk.services.elasticache.model.NodeGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.NodeQuotaForCustomerExceededException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotQuotaExceededException;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.SnapshotFeatureNotSupportedException;
import software.amazon.awssdk.services.elasticache.model.SnapshotNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SnapshotQuotaExceededException;
import software.amazon.awssdk.services.elasticache.model.TagNotFoundException;
import software.amazon.awssdk.services.elasticache.model.TagQuotaPerResourceExceededException;
import software.amazon.awssdk.services.elasticache.model.TestFailoverNotAvailableException;

/** ElastiCache's modelled faults: the error codes and HTTP statuses of the SDK model (elasticache 2.40.13). */
final class ElastiCacheErrors {
    private static ServiceErrors.Modelled m(int status, java.util.function.Supplier<? extends AwsServiceException.Builder> b) {
        return new ServiceErrors.Modelled(status, b);
    }

    static final ServiceErrors ERRORS = new ServiceErrors("ElastiCache", ElastiCacheException::builder, Map.ofEntries(
            entry("APICallRateForCustomerExceeded", m(400, ApiCallRateForCustomerExceededException::builder)),
            entry("CacheClusterAlreadyExists", m(400, CacheClusterAlreadyExistsException::builder)),
            entry("CacheClusterNotFound", m(404, CacheClusterNotFoundException::builder)),
            entry("CacheParameterGroupNotFound", m(404, CacheParameterGroupNotFoundException::builder)),
            entry("CacheSubnetGroupNotFoundFault", m(400, CacheSubnetGroupNotFoundException::builder)),
            entry("InsufficientCacheClusterCapacity", m(400, InsufficientCacheClusterCapacityException::builder)),
            entry("InvalidARN", m(400, InvalidArnException::builder)),
            entry("InvalidCacheClusterState", m(400, InvalidCacheClusterStateException::builder)),
            entry("InvalidKMSKeyFault", m(400, InvalidKmsKeyException::builder)),
            entry("InvalidParameterCombination", m(400, InvalidParameterCombinationException::builder)),
            entry("InvalidParameterValue", m(400, InvalidParameterValueException::builder)),
            entry("InvalidReplicationGroupState", m(400, InvalidReplicationGroupStateException::builder)),
            entry("InvalidServerlessCacheSnapshotStateFault", m(400, InvalidServerlessCacheSnapshotStateException::builder)),
            entry("InvalidServerlessCacheStateFault", m(400, InvalidServerlessCacheStateException::builder)),
            entry("InvalidSnapshotState", m(400, InvalidSnapshotStateException::builder)),
            entry("NodeGroupNotFoundFault", m(404, NodeGroupNotFoundException::builder)),
            entry("NodeQuotaForCustomerExceeded", m(400, NodeQuotaForCustomerExceededException::builder)),
            entry("ReplicationGroupAlreadyExists", m(400, ReplicationGroupAlreadyExistsException::builder)),
            entry("ReplicationGroupNotFoundFault", m(404, ReplicationGroupNotFoundException::builder)),
            entry("ServerlessCacheNotFoundFault", m(404, ServerlessCacheNotFoundException::builder)),
            entry("ServerlessCacheSnapshotAlreadyExistsFault", m(400, ServerlessCacheSnapshotAlreadyExistsException::builder)),
            entry("ServerlessCacheSnapshotNotFoundFault", m(404, ServerlessCacheSnapshotNotFoundException::builder)),
            entry("ServerlessCacheSnapshotQuotaExceededFault", m(400, ServerlessCacheSnapshotQuotaExceededException::builder)),
            entry("SnapshotAlreadyExistsFault", m(400, SnapshotAlreadyExistsException::builder)),
            entry("SnapshotFeatureNotSupportedFault", m(400, SnapshotFeatureNotSupportedException::builder)),
            entry("SnapshotNotFoundFault", m(404, SnapshotNotFoundException::builder)),
            entry("SnapshotQuotaExceededFault", m(400, SnapshotQuotaExceededException::builder)),
            entry("TagNotFound", m(404, TagNotFoundException::builder)),
            entry("TagQuotaPerResourceExceeded", m(400, TagQuotaPerResourceExceededException::builder)),
            entry("TestFailoverNotAvailableFault", m(400, TestFailoverNotAvailableException::builder))),
            "Throttling", 400);

    private ElastiCacheErrors() {
    }

    static RuntimeException invalidValue(String message) {
        return ERRORS.error("InvalidParameterValue", message);
    }

    static RuntimeException invalidCombination(String message) {
        return ERRORS.error("InvalidParameterCombination", message);
    }

    static RuntimeException groupNotFound(String id) {
        return ERRORS.error("ReplicationGroupNotFoundFault", "ReplicationGroup " + id + " not found.");
    }

    static RuntimeException clusterNotFound(String id) {
        return ERRORS.error("CacheClusterNotFound", "CacheCluster " + id + " not found.");
    }

    static RuntimeException snapshotNotFound(String name) {
        return ERRORS.error("SnapshotNotFoundFault", "Snapshot " + name + " not found.");
    }

    static RuntimeException snapshotExists(String name) {
        return ERRORS.error("SnapshotAlreadyExistsFault", "Snapshot with specified name [" + name + "] already exists.");
    }

    static RuntimeException groupState(String id, String status, String action) {
        return ERRORS.error("InvalidReplicationGroupState",
                "Replication group " + id + " is in state " + status + " and cannot " + action + ".");
    }

    static RuntimeException serverlessNotFound(String name) {
        return ERRORS.error("ServerlessCacheNotFoundFault", "Serverless cache " + name + " not found.");
    }

    static RuntimeException serverlessSnapshotNotFound(String name) {
        return ERRORS.error("ServerlessCacheSnapshotNotFoundFault", "Serverless cache snapshot " + name + " not found.");
    }
}
