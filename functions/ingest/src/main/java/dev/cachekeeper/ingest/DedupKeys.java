package dev.cachekeeper.ingest;

import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.event.DetailTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * De-duplication keys that collide when two sources report the same real-world event.
 *
 * <p>Why time buckets: the sources agree on what happened (kind of event, cache, shard) but not on an id or an exact
 * time. An SNS notification in the keyed shape carries no event time at all (we use SNS's publish Timestamp) and
 * names whichever node ElastiCache chose, while DescribeEvents gives its own {@code Date} and the node as source;
 * CloudTrail's TestFailover has its own eventTime. They are seconds apart. So the key is (detail-type, cache kind,
 * cache id, shard for failovers, time bucket of {@link #BUCKET}).
 *
 * <p>Why two keys: a plain bucket would split two reports that straddle a bucket edge (10:09:58 and 10:10:03). Each
 * event claims its own bucket and the neighbour nearest to it, i.e. every bucket that overlaps
 * [time - BUCKET/2, time + BUCKET/2]. Two reports less than BUCKET/2 apart always share the bucket of their
 * midpoint, so one of them finds its claim taken, whichever arrives first. The price: two distinct events of the
 * same type on the same cache (and shard) less than BUCKET/2 apart are published once; ElastiCache does not fail
 * over or finish snapshots of one shard that often, and the snapshot archiver's daily sweep catches a snapshot
 * that is hidden this way.
 *
 * <p>Events that only one source reports and that carry a stable id (CloudTrail's {@code eventID} for delete calls)
 * use that id instead, with no time in it.
 */
public final class DedupKeys {
    /** Reports up to half of this apart count as the same event. */
    public static final Duration BUCKET = Duration.ofMinutes(10);

    private DedupKeys() {
    }

    /** The scope that identifies "the same event" apart from time. */
    static String[] scope(String detailType, CacheEvent e) {
        boolean perShard = DetailTypes.FAILOVER_COMPLETED.equals(detailType)
                || DetailTypes.FAILOVER_STARTED.equals(detailType);
        return new String[] {detailType, e.kind().wireName(), e.cacheId().toLowerCase(java.util.Locale.ROOT),
                perShard && e.shardId() != null ? e.shardId() : ""};
    }

    static long bucketOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), BUCKET.toSeconds());
    }

    /** The key carried in the event's detail: the one of its own bucket. */
    public static String primary(String detailType, CacheEvent e) {
        return key(scope(detailType, e), bucketOf(e.time()));
    }

    /** Every key the event claims: its own bucket's first, then the nearest neighbour's. */
    public static List<String> claims(String detailType, CacheEvent e) {
        if (!e.dedupKey().equals(primary(detailType, e))) {
            return List.of(e.dedupKey()); // an id-based key: nothing to share with other sources
        }
        String[] scope = scope(detailType, e);
        long own = bucketOf(e.time());
        long offset = Math.floorMod(e.time().getEpochSecond(), BUCKET.toSeconds());
        long neighbour = offset < BUCKET.toSeconds() / 2 ? own - 1 : own + 1;
        return List.of(key(scope, own), key(scope, neighbour));
    }

    /** A key from a stable source id, e.g. CloudTrail's eventID. */
    public static String ofId(String source, String id) {
        return CacheEvents.dedupKey(source, id);
    }

    private static String key(String[] scope, long bucket) {
        String[] parts = java.util.Arrays.copyOf(scope, scope.length + 1);
        parts[scope.length] = Long.toString(bucket);
        return CacheEvents.dedupKey(parts);
    }
}
