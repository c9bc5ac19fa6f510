package dev.cachekeeper.restore;

/**
 * Tags the restore flow puts on every replication group it creates, at create time. The execution tag is the only
 * licence for cleanup to delete a group: a group without it, or with another execution's id, is never deleted.
 */
public final class RestoreTags {
    public static final String PREFIX = "cachekeeper:";
    /** The Step Functions execution ARN ({@code $$.Execution.Id}) that created the group. */
    public static final String EXECUTION = "cachekeeper:restore-execution";
    public static final String RESTORED_FROM = "cachekeeper:restored-from-snapshot";
    public static final String RESTORED_BY = "cachekeeper:restored-by";
    public static final String RESTORED_AT = "cachekeeper:restored-at";
    public static final String RESTORED_BY_VALUE = "cachekeeper";

    private RestoreTags() {
    }
}
