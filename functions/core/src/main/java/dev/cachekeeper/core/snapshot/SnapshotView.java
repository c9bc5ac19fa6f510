package dev.cachekeeper.core.snapshot;

import java.time.Instant;

/**
 * A snapshot of a node-based cache or of a serverless cache, reduced to what recoverability checks need. The two
 * kinds come from different APIs with different field names; this is the one shape the checks read.
 *
 * @param name       the snapshot name
 * @param serverless true for a serverless cache snapshot
 * @param arn        its ARN (tagging APIs take ARNs)
 * @param cacheId    the replication group, cache cluster or serverless cache it was taken of
 * @param nodeId     for a node-level snapshot of a replication group member, the node (cache cluster) id
 * @param status     as ElastiCache reports it: creating, available, copying, deleting, failed, ...
 * @param manual     true for manual snapshots (made by CreateSnapshot, CopySnapshot or a final snapshot); automatic
 *                   ones die with their cache
 * @param created    when it was taken; null while ElastiCache has not reported it yet
 */
public record SnapshotView(String name, boolean serverless, String arn, String cacheId, String nodeId, String status,
                           boolean manual, Instant created) {
    public static final String AVAILABLE = "available";
    public static final String FAILED = "failed";

    public boolean available() {
        return AVAILABLE.equalsIgnoreCase(status);
    }

    public boolean failed() {
        return FAILED.equalsIgnoreCase(status);
    }

    /** {@code name (manual, available, taken 2026-11-21T10:00:00Z)}: what an alert shows. */
    public String describe() {
        return name + " (" + (manual ? "manual" : "automatic") + ", " + status
                + (created == null ? "" : ", taken " + created) + ")";
    }
}
