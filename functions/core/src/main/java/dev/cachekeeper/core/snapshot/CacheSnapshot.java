package dev.cachekeeper.core.snapshot;

import dev.cachekeeper.core.event.CacheKind;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import software.amazon.awssdk.services.elasticache.model.DataTieringStatus;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshot;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

/**
 * A snapshot of a node-based cache or of a serverless cache, as the safe destroy, the delete audit and the archiver
 * read it. The two kinds come from different APIs (DescribeSnapshots, DescribeServerlessCacheSnapshots) with
 * different field names; {@link #of(Snapshot)} and {@link #of(ServerlessCacheSnapshot)} are the one place they are
 * read, so every function classifies and dates a snapshot alike.
 *
 * @param name        the snapshot name
 * @param cacheKind   the kind of cache it was taken of
 * @param arn         its ARN (tagging APIs take ARNs)
 * @param cacheId     the replication group, cache cluster or serverless cache it was taken of
 * @param nodeId      for a node-level snapshot of a replication group member, the node (cache cluster) id
 * @param status      as ElastiCache reports it: creating, available, copying, deleting, failed, ...
 * @param manual      true for manual snapshots (made by CreateSnapshot, CopySnapshot or a final snapshot); automatic
 *                    ones die with their cache
 * @param taken       when its data was taken; null while ElastiCache has not reported it yet
 * @param dataTiering taken of a data-tiering cluster, which cannot be exported to S3
 */
public record CacheSnapshot(String name, CacheKind cacheKind, String arn, String cacheId, String nodeId,
                            String status, boolean manual, Instant taken, boolean dataTiering) {
    public static final String AVAILABLE = "available";
    public static final String FAILED = "failed";

    public CacheSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cacheKind, "cacheKind");
    }

    /** A snapshot from DescribeSnapshots (or CreateSnapshot, CopySnapshot...). */
    public static CacheSnapshot of(Snapshot s) {
        // A node-level snapshot of a replication group member names both; a group-level one only the group.
        boolean ofGroup = s.replicationGroupId() != null;
        String cacheId = ofGroup ? s.replicationGroupId() : s.cacheClusterId();
        String nodeId = ofGroup ? s.cacheClusterId() : null;
        Instant taken = s.nodeSnapshots().stream().map(NodeSnapshot::snapshotCreateTime).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
        return new CacheSnapshot(s.snapshotName(), ofGroup ? CacheKind.REPLICATION_GROUP : CacheKind.CACHE_CLUSTER,
                s.arn(), cacheId, nodeId, s.snapshotStatus(), "manual".equalsIgnoreCase(s.snapshotSource()), taken,
                s.dataTiering() == DataTieringStatus.ENABLED);
    }

    /** A snapshot from DescribeServerlessCacheSnapshots (or its Create and Copy calls). */
    public static CacheSnapshot of(ServerlessCacheSnapshot s) {
        String cacheId = s.serverlessCacheConfiguration() == null ? null
                : s.serverlessCacheConfiguration().serverlessCacheName();
        return new CacheSnapshot(s.serverlessCacheSnapshotName(), CacheKind.SERVERLESS_CACHE, s.arn(), cacheId, null,
                s.status(), !"automated".equalsIgnoreCase(s.snapshotType()), s.createTime(), false);
    }

    /** Taken of a serverless cache: copied, exported and deleted with the serverless APIs. */
    public boolean serverless() {
        return cacheKind == CacheKind.SERVERLESS_CACHE;
    }

    public boolean automatic() {
        return !manual;
    }

    public boolean available() {
        return AVAILABLE.equalsIgnoreCase(status);
    }

    public boolean failed() {
        return FAILED.equalsIgnoreCase(status);
    }

    /** {@code name (manual, available, taken 2026-11-21T10:00:00Z)}: what an alert shows. */
    public String describe() {
        return name + " (" + (manual ? "manual" : "automatic") + ", " + status
                + (taken == null ? "" : ", taken " + taken) + ")";
    }
}
