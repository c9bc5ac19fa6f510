package dev.cachekeeper.archive;

import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.elasticache.model.DataTieringStatus;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshot;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

/**
 * One snapshot as the archiver sees it, whether node-based (DescribeSnapshots) or serverless
 * (DescribeServerlessCacheSnapshots): the two APIs spell the same facts differently.
 *
 * @param name        the snapshot name
 * @param serverless  a serverless cache snapshot (copied, exported and deleted with the serverless APIs)
 * @param cacheKind   the kind of cache it was taken from
 * @param cacheId     the replication group id, cache cluster id or serverless cache name it was taken from
 * @param automatic   an automatic (system) backup, which expires and vanishes with its cache
 * @param status      available, creating, copying, deleting, failed...
 * @param taken       when its data was taken (null when the API gave no time)
 * @param arn         its ARN (tagging APIs take ARNs)
 * @param dataTiering taken from a data-tiering cluster, which cannot be exported to S3
 */
public record ArchivedSnapshot(String name, boolean serverless, CacheKind cacheKind, String cacheId,
                               boolean automatic, String status, Instant taken, String arn, boolean dataTiering) {

    /** The archiver's copies: {@code cachekeeper-archive-...}. The managed tag is checked as well before deleting. */
    public static final String COPY_PREFIX = SnapshotNames.PREFIX + SnapshotArchiver.PURPOSE + "-";

    /** Newest first; snapshots without a time sort first, so they are never taken for the oldest. */
    public static final Comparator<ArchivedSnapshot> NEWEST_FIRST = Comparator
            .comparing(ArchivedSnapshot::taken, Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
            .thenComparing(ArchivedSnapshot::name);

    private static final Pattern AUTOMATIC_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2})$");

    public ArchivedSnapshot {
        Objects.requireNonNull(name, "name");
    }

    public static ArchivedSnapshot of(Snapshot s) {
        CacheKind kind = s.replicationGroupId() != null ? CacheKind.REPLICATION_GROUP : CacheKind.CACHE_CLUSTER;
        String cacheId = s.replicationGroupId() != null ? s.replicationGroupId() : s.cacheClusterId();
        boolean automatic = "automated".equalsIgnoreCase(s.snapshotSource())
                || "system".equalsIgnoreCase(s.snapshotSource());
        Instant taken = s.nodeSnapshots().stream().map(NodeSnapshot::snapshotCreateTime).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElseGet(() -> timeFromAutomaticName(s.snapshotName()));
        return new ArchivedSnapshot(s.snapshotName(), false, kind, cacheId, automatic,
                lower(s.snapshotStatus()), taken, s.arn(), s.dataTiering() == DataTieringStatus.ENABLED);
    }

    public static ArchivedSnapshot of(ServerlessCacheSnapshot s) {
        String cache = s.serverlessCacheConfiguration() == null ? null
                : s.serverlessCacheConfiguration().serverlessCacheName();
        boolean automatic = "automated".equalsIgnoreCase(s.snapshotType())
                || "system".equalsIgnoreCase(s.snapshotType());
        return new ArchivedSnapshot(s.serverlessCacheSnapshotName(), true, CacheKind.SERVERLESS_CACHE, cache,
                automatic, lower(s.status()), s.createTime(), s.arn(), false);
    }

    /** The same snapshot, its data taken at {@code when}. */
    public ArchivedSnapshot takenAt(Instant when) {
        return new ArchivedSnapshot(name, serverless, cacheKind, cacheId, automatic, status, when, arn, dataTiering);
    }

    public boolean available() {
        return "available".equals(status);
    }

    /** Complete data: available, or being copied or exported right now (which a further copy may read too). */
    public boolean copyable() {
        return available() || "copying".equals(status);
    }

    /** Named like one of the archiver's copies (the tag still has to agree before anything is deleted). */
    public boolean namedAsCopy() {
        return name.toLowerCase(Locale.ROOT).startsWith(COPY_PREFIX);
    }

    /** Named like anything cachekeeper makes (archive copies, destroy-guard snapshots...). */
    public boolean namedAsOurs() {
        return SnapshotNames.hasPrefix(name);
    }

    /** The cache this snapshot belongs to, as one key across the three kinds. */
    public CacheKey cache() {
        return new CacheKey(cacheKind, cacheId);
    }

    /** Automatic names end in the backup time: {@code automatic.orders-2026-11-20-04-30}. */
    static Instant timeFromAutomaticName(String name) {
        Matcher m = AUTOMATIC_TIME.matcher(name == null ? "" : name);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm"))
                    .toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** A cache, whatever its kind. */
    public record CacheKey(CacheKind kind, String id) {
        @Override
        public String toString() {
            return kind.wireName() + "/" + id;
        }
    }
}
