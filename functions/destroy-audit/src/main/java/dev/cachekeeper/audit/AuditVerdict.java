package dev.cachekeeper.audit;

/** What the audit of one delete concluded. */
public enum AuditVerdict {
    /** The delete call asked for a final snapshot. */
    FINAL_SNAPSHOT_REQUESTED(true),
    /** DeleteReplicationGroup kept the primary as a standalone cluster: the data is still there. */
    PRIMARY_RETAINED(true),
    /** The deleted cache cluster was one node of a replication group, which keeps the data. */
    NODE_OF_GROUP(true),
    /** A manual snapshot of the cache, available and younger than the configured age, exists. */
    RECENT_MANUAL_SNAPSHOT(true),
    /** A cachekeeper copy (managed tag, source-cache = this cache) exists, however old. */
    ARCHIVED_COPY(true),
    /** Nothing recoverable remains: a CRITICAL alert. */
    NOTHING_RECOVERABLE(false),
    /** This very event was audited before (a redelivery). */
    DUPLICATE(true),
    /** The other event of the same delete (Cache Delete Called / Cache Deleted) was audited already. */
    ALREADY_AUDITED(true),
    /** The half-built group of a failed restore, deleted by the restore flow's cleanup, which announced it. */
    RESTORE_CLEANUP(true),
    /** Not a delete event we can read; logged and acknowledged. */
    IGNORED(true);

    private final boolean recoverable;

    AuditVerdict(boolean recoverable) {
        this.recoverable = recoverable;
    }

    public boolean recoverable() {
        return recoverable;
    }
}
