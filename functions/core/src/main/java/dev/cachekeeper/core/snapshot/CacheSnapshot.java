package dev.cachekeeper.core.snapshot;

import dev.cachekeeper.core.event.CacheKind;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.elasticache.model.DataTieringStatus;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshot;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

/**
 * A snapshot of a node-based cache or of a serverless cache, as the safe destroy, the delete audit and the archiver
 * read it. The two kinds come from different APIs (DescribeSnapshots, DescribeServerlessCacheSnapshots) with
 * different field names; {@link #of(Snapshot)} and {@link #of(ServerlessCacheSnapshot)} are the one place they are
 * read, so every function classifies and dates a snapshot alike: a snapshot the delete audit counts on as manual is
 * never one the archiver copies as automatic.
 *
 * <p>Manual is what ElastiCache reports as {@code manual} (SnapshotSource of a node-based snapshot, SnapshotType of a
 * serverless one; the other value is {@code automated}, and {@code system} / {@code user} are only DescribeSnapshots'
 * filter words). Anything else counts as automatic: a snapshot nobody can vouch for must not be counted on to outlive
 * its cache, and is better copied once too often than lost.
 *
 * @param name        the snapshot name
 * @param cacheKind   the kind of cache it was taken of
 * @param arn         its ARN (tagging APIs take ARNs)
 * @param cacheId     the replication group, cache cluster or serverless cache it was taken of
 * @param nodeId      for a node-level snapshot of a replication group member, the node (cache cluster) id
 * @param status      as ElastiCache reports it: creating, available, copying, deleting, failed, ...
 * @param manual      a manual snapshot (made by CreateSnapshot, CopySnapshot or a final snapshot), which outlives its
 *                    cache; automatic ones die with it
 * @param taken       when its data was taken: the earliest node snapshot time, or a serverless snapshot's create time;
 *                    while ElastiCache reports none, an automatic snapshot's is the time its name ends in
 *                    ({@code automatic.orders-2026-11-20-04-30}); null if that is not there either
 * @param dataTiering taken of a data-tiering cluster, which cannot be exported to S3
 */
public record CacheSnapshot(String name, CacheKind cacheKind, String arn, String cacheId, String nodeId,
                            String status, boolean manual, Instant taken, boolean dataTiering) {
    public static final String AVAILABLE = "available";
    public static final String FAILED = "failed";
    /** ElastiCache's word for a manual snapshot, in SnapshotSource and SnapshotType alike. */
    private static final String MANUAL = "manual";

    private static final Pattern NAME_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2})$");
    private static final DateTimeFormatter NAME_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm");

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
        boolean manual = MANUAL.equalsIgnoreCase(s.snapshotSource());
        Instant reported = s.nodeSnapshots().stream().map(NodeSnapshot::snapshotCreateTime).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
        return new CacheSnapshot(s.snapshotName(), ofGroup ? CacheKind.REPLICATION_GROUP : CacheKind.CACHE_CLUSTER,
                s.arn(), cacheId, nodeId, s.snapshotStatus(), manual, taken(reported, manual, s.snapshotName()),
                s.dataTiering() == DataTieringStatus.ENABLED);
    }

    /** A snapshot from DescribeServerlessCacheSnapshots (or its Create and Copy calls). */
    public static CacheSnapshot of(ServerlessCacheSnapshot s) {
        String cacheId = s.serverlessCacheConfiguration() == null ? null
                : s.serverlessCacheConfiguration().serverlessCacheName();
        boolean manual = MANUAL.equalsIgnoreCase(s.snapshotType());
        return new CacheSnapshot(s.serverlessCacheSnapshotName(), CacheKind.SERVERLESS_CACHE, s.arn(), cacheId, null,
                s.status(), manual, taken(s.createTime(), manual, s.serverlessCacheSnapshotName()), false);
    }

    /**
     * The time ElastiCache reported; failing that, for an automatic snapshot, the backup time its system-made name
     * ends in. A manual snapshot's name is whatever its owner typed, so it dates nothing.
     */
    private static Instant taken(Instant reported, boolean manual, String name) {
        if (reported != null || manual || name == null) {
            return reported; // without a name the constructor refuses it, saying so
        }
        Matcher m = NAME_TIME.matcher(name);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1), NAME_TIME_FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Taken of a serverless cache: copied, exported and deleted with the serverless APIs. */
    public boolean serverless() {
        return cacheKind == CacheKind.SERVERLESS_CACHE;
    }

    /** An automatic backup: it expires, and is deleted with its cache. */
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
